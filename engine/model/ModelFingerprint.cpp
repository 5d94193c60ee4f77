#include "engine/model/ModelFingerprint.h"

#include "engine/core/Error.h"

#include <QCryptographicHash>
#include <QFile>

namespace fcs {

std::string modelFingerprint(const Sidecar& sidecar)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const std::string* path : {&sidecar.modelPath, &sidecar.jsonPath, &sidecar.labelsPath}) {
        if (path->empty())
            continue;
        QFile file(QString::fromStdString(*path));
        if (!file.open(QIODevice::ReadOnly) || !hash.addData(&file))
            throw Error(ErrorCode::ReadFailed, "Cannot read \"" + *path + "\" of the model \"" + sidecar.id + "\".");
        hash.addData(QByteArrayView("\0", 1)); // file boundaries count
    }
    return hash.result().toHex().toStdString();
}

} // namespace fcs
