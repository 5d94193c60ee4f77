#include "OptionSpelling.h"

namespace fcs::cli {

OptionSpelling optionSpelling(const QString& argument, const QString& name)
{
    for (const QString& dashes : {QStringLiteral("--"), QStringLiteral("-")}) {
        if (argument == dashes + name)
            return OptionSpelling::ValueFollows;
        if (argument.startsWith(dashes + name + "="))
            return OptionSpelling::ValueInline;
    }
    return OptionSpelling::None;
}

bool hasOption(const QStringList& arguments, const QString& name)
{
    for (const QString& argument : arguments) {
        if (argument == "--")
            return false;
        if (optionSpelling(argument, name) != OptionSpelling::None)
            return true;
    }
    return false;
}

} // namespace fcs::cli
