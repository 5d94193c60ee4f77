// featurecam-cli: the command-line face of the engine (issue 2). Exit codes (kUsage says them to
// the user; exitCodeFor in engine/core/Error.cpp maps the engine's errors): 0 ok, 1 bad input,
// model or file, 2 usage error, 70 internal error, 130 interrupted.

#include "CliSupport.h"
#include "Commands.h"
#include "OptionSpelling.h"
#include "engine/core/Error.h"
#include "engine/core/Version.h"
#include "engine/io/Utf8Name.h"

#include <QApplication>
#include <QCoreApplication>

#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>

namespace {

constexpr const char* kUsage = R"(Usage: featurecam-cli [--help] [--version] COMMAND [OPTIONS] [ARGS]

Explain why a CNN image classifier chose a class: saliency maps of the CAM family (Grad-CAM,
Grad-CAM++, Smooth Grad-CAM++, Score-CAM, …), Feature CAM, masks and explanation maps.

Commands:
  models     List the models found on the models path
  classify   Print the top-K classes of images
  explain    Write saliency maps, masks and explanation maps of images
  evaluate   Run the paper's quantitative protocol (Tables 2 and 3) and faithfulness metrics
             (also as shards, or as a Slurm array job: --shard I/N, --slurm N)
  merge      Join the folders of a sharded evaluation into one run's tables
  live       Explain every frame of a video or camera stream and write the overlaid video

Models are searched in each --models DIR, then in the colon-separated folders of
FEATURECAM_MODEL_PATH. `featurecam-cli COMMAND --help` describes a command's options.

Exit status: 0 success, 1 an image, model or file could not be used, 2 usage error, 70 an
internal error (please report it), 130 interrupted (Ctrl+C; evaluate keeps what it finished).
)";

// Charts (evaluate --plots) are widgets and need a QApplication; without a display it runs on
// Qt's offscreen platform. Every other command stays a plain QCoreApplication.
std::unique_ptr<QCoreApplication> makeApplication(int& argc, char* argv[])
{
    QStringList arguments;
    for (int i = 1; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    if (!fcs::cli::hasOption(arguments, "plots")) // as the parser reads it: "-plots" too
        return std::make_unique<QCoreApplication>(argc, argv);
    if (!std::getenv("DISPLAY") && !std::getenv("WAYLAND_DISPLAY") && !std::getenv("QT_QPA_PLATFORM"))
        setenv("QT_QPA_PLATFORM", "offscreen", 1);
    return std::make_unique<QApplication>(argc, argv);
}

} // namespace

int main(int argc, char* argv[])
{
    // Arguments become QStrings, where bytes that are not UTF-8 turn into U+FFFD for good: a
    // file of such a name would "not exist", and an output name would change.
    for (int i = 1; i < argc; ++i)
        if (!fcs::isUtf8(argv[i])) {
            fcs::cli::printError("the argument \"" + fcs::escapedName(argv[i]) + "\"" + fcs::notUtf8Advice());
            return fcs::cli::kExitUsage;
        }
    const auto app = makeApplication(argc, argv);
    QCoreApplication::setApplicationName("featurecam-cli");
    QCoreApplication::setApplicationVersion(FCS_VERSION);
    QStringList arguments = QCoreApplication::arguments().mid(1);

    if (arguments.isEmpty()) {
        std::cerr << kUsage;
        return fcs::cli::kExitUsage;
    }
    const QString command = arguments.takeFirst();
    if (command == "--help" || command == "-h" || command == "help") {
        std::cout << kUsage;
        return fcs::cli::kExitOk;
    }
    if (command == "--version") {
        std::cout << "featurecam-cli " << FCS_VERSION << '\n';
        return fcs::cli::kExitOk;
    }
    const std::map<QString, int (*)(const QStringList&)> commands = {
        {"models", fcs::cli::runModels},
        {"classify", fcs::cli::runClassify},
        {"explain", fcs::cli::runExplain},
        {"evaluate", fcs::cli::runEvaluate},
        {"merge", fcs::cli::runMerge},
        {"live", fcs::cli::runLive},
    };
    const auto found = commands.find(command);
    if (found == commands.end()) {
        fcs::cli::printError("unknown command \"" + command.toStdString() + "\". Try `featurecam-cli --help`.");
        return fcs::cli::kExitUsage;
    }
    try {
        return found->second(arguments);
    } catch (const fcs::cli::UsageError& e) {
        fcs::cli::printError(std::string(e.what()) + " Try `featurecam-cli " + command.toStdString() + " --help`.");
        return fcs::cli::kExitUsage;
    } catch (const fcs::Error& e) {
        fcs::cli::printError(e.userMessage());
        if (!e.detail().empty())
            std::cerr << "  detail: " << e.detail() << '\n';
        return fcs::exitCodeFor(e.code());
    } catch (const std::exception& e) {
        fcs::cli::printError(std::string("internal error: ") + e.what());
        return fcs::exitCodeFor(fcs::ErrorCode::Internal);
    }
}
