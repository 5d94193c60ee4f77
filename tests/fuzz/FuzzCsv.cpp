// libFuzzer: any bytes as an image list (the CSV reader, then readImageSet's checks: BOM,
// header case, class indices, duplicates), as a box file (read, checked against a photo, brought
// to an input and scored) and as an evaluation's per_image.csv. fcs::Error is the expected
// answer to bad files.

#include "engine/core/Error.h"
#include "engine/evaluate/EvaluationStore.h"
#include "engine/evaluate/ImageSet.h"
#include "engine/evaluate/PointingGame.h"
#include "engine/io/CsvTable.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    std::size_t complete = 0;
    const auto rows = fcs::parseCsv(text, &complete);
    if (complete > rows.size())
        __builtin_trap();
    for (const auto& row : rows)
        fcs::csvLine(row); // and back
    static const std::string list = [] {
        char pattern[] = "/tmp/fcs-fuzz-csv-XXXXXX";
        return std::string(mkdtemp(pattern)) + "/list.csv";
    }();
    {
        std::ofstream out(list, std::ios::binary | std::ios::trunc);
        out.write(text.data(), std::streamsize(text.size()));
    }
    try {
        const auto images = fcs::readImageSet(list);
        fcs::checkTruthClasses(images, 1000, "fuzz", list);
    } catch (const fcs::Error&) {
    }
    try {
        static const cv::Mat map = [] {
            cv::Mat m(16, 16, CV_32F);
            cv::randu(m, 0.0f, 1.0f);
            return m;
        }();
        for (const auto& [file, boxes] : fcs::readObjectBoxes(list)) {
            for (const auto mode : {fcs::ResizeMode::Plain, fcs::ResizeMode::CenterCrop}) {
                const auto atInput = fcs::boxesAtInput(boxes, 1, {40, 24}, map.size(), mode);
                const auto score = fcs::pointingScore(map, atInput, 2);
                if (!(score.energyInside >= 0 && score.energyInside <= 1 + 1e-9))
                    __builtin_trap();
            }
            fcs::checkBoxesFitThePhoto(boxes, {40, 24}, file);
        }
    } catch (const fcs::Error&) {
    }
    try {
        fcs::parsePerImage(text);
    } catch (const fcs::Error&) {
    }
    return 0;
}
