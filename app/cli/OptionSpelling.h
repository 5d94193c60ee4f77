#pragma once
// How an option may be spelled on featurecam-cli's command line, for the few places that look at
// the raw arguments before or beside the parser (the QApplication for --plots, the arguments
// forwarded to Slurm tasks). The parser reads single-dash words as long options
// (QCommandLineParser::ParseAsLongOptions), so "-out x" is "--out x": these must agree with it.

#include <QString>
#include <QStringList>

namespace fcs::cli {

enum class OptionSpelling {
    None, // not this option
    ValueFollows, // "--name" or "-name": its value (if it takes one) is the next argument
    ValueInline, // "--name=value" or "-name=value"
};

OptionSpelling optionSpelling(const QString& argument, const QString& name);

// Whether `name` is given among `arguments` (before a "--" that ends the options).
bool hasOption(const QStringList& arguments, const QString& name);

} // namespace fcs::cli
