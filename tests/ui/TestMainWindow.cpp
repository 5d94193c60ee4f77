// The desktop window driven as a user would, on Qt's offscreen platform with the real
// MobileNetV2: every panel fills, the window keeps turning its event loop while the engine runs,
// a newer request wins, errors show in the window and leave it usable, export writes files.

#include "ImageFixtures.h"
#include "TestPaths.h"

#include "engine/catalog/EdgeCatalog.h"
#include "engine/catalog/Locations.h"
#include "engine/catalog/MethodCatalog.h"
#include "engine/core/Error.h"
#include "engine/io/CsvTable.h"

#include "engine/evaluate/EvaluationStore.h"
#include "ui/MainWindow.h"
#include "ui/charts/PredictionChart.h"
#include "ui/charts/QCustomPlotInclude.h"
#include "ui/survey/SurveyBuilderDialog.h"
#include "ui/views/CompareView.h"
#include "ui/views/EvaluationWindow.h"
#include "ui/views/ExplainView.h"
#include "ui/widgets/ImagePanel.h"
#include "ui/widgets/SettingsPanel.h"
#include "ui/window/KeepPreview.h"
#include "ui/window/ShortcutsHelp.h"
#include "ui/worker/ExplainService.h"

#include <QAbstractSpinBox>
#include <QAccessible>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMimeData>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QUrl>
#include <QtTest>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdlib>
#include <functional>

using namespace fcs;

namespace {

const QString kTench = "n01440764_tench.JPEG";
const QString kRetriever = "n02099601_golden_retriever.JPEG";

// Waits for the next result or error; false on timeout.
bool waitForAnswer(MainWindow& window, int timeoutMs = 120000)
{
    QSignalSpy results(&window, &MainWindow::resultShown);
    QSignalSpy errors(&window, &MainWindow::errorShown);
    QElapsedTimer timer;
    timer.start();
    while (results.isEmpty() && errors.isEmpty() && timer.elapsed() < timeoutMs)
        QTest::qWait(20);
    return !results.isEmpty() || !errors.isEmpty();
}

std::shared_ptr<const ExplainResult> resultAt(const QSignalSpy& results, int index)
{
    return results.at(index).at(0).value<std::shared_ptr<const ExplainResult>>();
}

// The base-map and complete results, without the running-mean previews of a method.
std::vector<std::shared_ptr<const ExplainResult>> resultsBesidesPreviews(const QSignalSpy& results)
{
    std::vector<std::shared_ptr<const ExplainResult>> answers;
    for (int i = 0; i < results.count(); ++i)
        if (resultAt(results, i)->explanation.previewNote.empty())
            answers.push_back(resultAt(results, i));
    return answers;
}

bool allPanelsFilled(const std::vector<ImagePanel*>& panels)
{
    for (auto* panel : panels)
        if (panel->image().isNull() || panel->shownPixmap().isNull())
            return false;
    return !panels.empty();
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        fcs::test::isolateWindowSettings(m_dir.filePath("config"), "TestMainWindow");
    }

    void init()
    {
        FCS_REQUIRE_SHARED_MODEL("mobilenet_v2_1.0_224");
        FCS_REQUIRE_SAMPLE_DATA();
        if (!m_window) {
            m_window = std::make_unique<MainWindow>();
            m_window->resize(1400, 860);
            m_window->show();
            QVERIFY(m_window->selectModel("mobilenet_v2_1.0_224"));
        }
    }

    void opensAPhotoAndStaysResponsive()
    {
        // A timer that must keep firing while the engine runs: the event loop never blocks.
        int ticks = 0;
        qint64 longestGap = 0;
        QElapsedTimer sinceTick;
        sinceTick.start();
        QTimer heartbeat;
        connect(&heartbeat, &QTimer::timeout, [&]() {
            longestGap = std::max(longestGap, sinceTick.restart());
            ++ticks;
        });
        heartbeat.start(10);
        QElapsedTimer run;
        run.start();
        m_window->openImage(fcs::test::samplePhoto(kTench));
        QVERIFY(waitForAnswer(*m_window));
        const qint64 elapsed = run.elapsed();
        heartbeat.stop();
        QVERIFY2(m_window->errorMessage().isEmpty(), qPrintable(m_window->errorMessage()));
        QVERIFY(allPanelsFilled(m_window->explainView()->stagePanels()));
        QVERIFY(allPanelsFilled(m_window->explainView()->variantPanels()));
        QCOMPARE(int(m_window->explainView()->variantPanels().size()), 6); // base + the top 5
        QVERIFY(m_window->explainView()->stagePanels()[0]->caption().contains("tench"));
        QVERIFY(m_window->predictionChart()->predictions().front().label.rfind("tench", 0) == 0);
        QVERIFY2(elapsed > 100, "the engine answered too fast to test responsiveness");
        QVERIFY2(ticks >= elapsed / 100, qPrintable(QString("%1 ticks in %2 ms").arg(ticks).arg(elapsed)));
        QVERIFY2(longestGap < 400, qPrintable(QString("the event loop stalled for %1 ms").arg(longestGap)));
    }

    // Issue 28: the four stage pictures of a landscape photo leave no empty band above and below
    // them, and the top-5 belongs to the photo's tabs (not the gallery's or the live view's).
    void panelsFollowThePhotoAndTheSidePanelItsTab()
    {
        m_window->openImage(fcs::test::samplePhoto(kTench)); // 500 × 375
        QVERIFY(waitForAnswer(*m_window));
        QCoreApplication::processEvents();
        for (ImagePanel* panel : m_window->explainView()->stagePanels()) {
            const QPixmap picture = panel->shownPixmap();
            QVERIFY(!picture.isNull());
            // Width-bound, as a landscape photo in a quarter of the row is...
            QVERIFY2(picture.width() >= panel->contentsRect().width() - 16,
                qPrintable(QString("%1 of %2").arg(picture.width()).arg(panel->contentsRect().width())));
            // ...and the panel no taller than the picture and its two caption lines.
            const int rest = panel->height() - picture.height();
            QVERIFY2(rest < 70, qPrintable(QString("%1 px beside a %2 px picture").arg(rest).arg(picture.height())));
        }
        auto* tabs = m_window->findChild<QTabWidget*>();
        QVERIFY(tabs && m_window->predictionChart()->isVisible());
        for (int tab = 2; tab < tabs->count(); ++tab) { // Gallery, Live
            tabs->setCurrentIndex(tab);
            QVERIFY2(!m_window->predictionChart()->isVisible(), qPrintable(tabs->tabText(tab)));
        }
        tabs->setCurrentIndex(1); // Compare: the same photo
        QVERIFY(m_window->predictionChart()->isVisible());
        tabs->setCurrentIndex(0);
        QVERIFY(m_window->predictionChart()->isVisible());
    }

    void methodAndClassChangesUpdateThePanels()
    {
        const QImage before = m_window->explainView()->stagePanels()[1]->image();
        QVERIFY(m_window->selectMethod("gradcampp"));
        QVERIFY(waitForAnswer(*m_window));
        QCOMPARE(m_window->lastResult()->explanation.methods.front().methodId, std::string("gradcampp"));
        QVERIFY(m_window->explainView()->stagePanels()[1]->caption().startsWith("Grad-CAM++"));
        QVERIFY(m_window->explainView()->stagePanels()[1]->image() != before);

        // A click on the second bar explains that class.
        const int second = m_window->predictionChart()->classAtRow(1);
        QVERIFY(second >= 0);
        m_window->explainClass(second);
        QVERIFY(waitForAnswer(*m_window));
        QCOMPARE(m_window->lastResult()->explanation.explainedClass, second);

        // Typing a class name (any of its names, any case) explains it.
        QLineEdit* edit = m_window->settingsPanel()->classEdit();
        edit->setText("Golden Retriever");
        QTest::keyClick(edit, Qt::Key_Return);
        QVERIFY(waitForAnswer(*m_window));
        QCOMPARE(m_window->lastResult()->explanation.explainedClass, 207); // ImageNet's golden retriever
    }

    void aNewerRequestWins()
    {
        QSignalSpy results(m_window->service(), &ExplainService::resultReady);
        m_window->selectMethod("smoothgradcampp"); // slow
        m_window->openImage(fcs::test::samplePhoto(kRetriever)); // supersedes it at once
        QVERIFY(waitForAnswer(*m_window));
        QTest::qWait(300); // a stale answer would arrive now
        // The newest request's base map first, then its complete result (and, between, Smooth
        // Grad-CAM++'s running mean as it sharpens); nothing of the superseded request.
        const auto answers = resultsBesidesPreviews(results);
        QCOMPARE(answers.size(), std::size_t(2));
        QVERIFY(answers[0]->explanation.partial && !answers[1]->explanation.partial);
        for (int i = 0; i < results.count(); ++i)
            QCOMPARE(resultAt(results, i)->request.id, answers[1]->request.id);
        QVERIFY(m_window->lastResult()->request.imagePath.endsWith(kRetriever));
        QVERIFY(m_window->explainView()->stagePanels()[0]->caption().contains("golden retriever"));
    }

    void baseMapShowsBeforeVariantsAndReclassification()
    {
        // The first map is on screen after the gradient pass; edges, variants and re-classification
        // follow in a second result of the same request.
        QSignalSpy results(m_window->service(), &ExplainService::resultReady);
        m_window->openImage(fcs::test::samplePhoto(kTench));
        QVERIFY(waitForAnswer(*m_window));
        const auto answers = resultsBesidesPreviews(results);
        QCOMPARE(answers.size(), std::size_t(2));
        const auto first = answers[0], complete = answers[1];
        QVERIFY(first->explanation.partial && !complete->explanation.partial);
        const auto& base = first->explanation.methods.front();
        QVERIFY(base.featureCam.empty() && first->edges.empty());
        QVERIFY(!complete->explanation.methods.front().featureCam.empty()); // the window asks for top-5
        QCOMPARE(cv::norm(base.map, complete->explanation.methods.front().map, cv::NORM_INF), 0.0);
        QVERIFY(m_window->baseMapOnScreenSeconds() > 0 && m_window->baseMapOnScreenSeconds() < complete->seconds);

        // Another method on the same photo (decoded already, model loaded): the base map's time to
        // screen against the gradient pass (forward + head backward) it needs, waited for in an
        // event loop that does not poll. The target ratio is 1.5 (docs/performance.md); the bound
        // here is generous, for busy machines.
        QSignalSpy shown(m_window.get(), &MainWindow::resultShown);
        results.clear();
        QVERIFY(m_window->selectMethod("gradcampp"));
        QVERIFY(shown.wait(60000));
        const double onScreen = m_window->baseMapOnScreenSeconds();
        const double pass = resultsBesidesPreviews(results).at(0)->explanation.timings.gradientPass;
        qInfo("base map on screen after %.1f ms = %.2f x the gradient pass", 1000 * onScreen, onScreen / pass);
        QVERIFY2(onScreen < 4 * pass + 0.05, qPrintable(QString("%1 s for a %2 s pass").arg(onScreen).arg(pass)));
    }

    void smoothGradCamPlusPlusSharpensAsCopiesComeIn()
    {
        // Its running mean is shown while the noisy copies come in (at most ten times a second),
        // then the base map, then the complete result.
        QVERIFY(m_window->selectMethod("smoothgradcampp"));
        QVERIFY(waitForAnswer(*m_window));
        auto* samples = m_window->settingsPanel()->findChild<QSpinBox*>();
        QVERIFY(samples);
        QSignalSpy results(m_window->service(), &ExplainService::resultReady);
        samples->setValue(100); // about a second: several previews on any machine
        QVERIFY(waitForAnswer(*m_window));
        int previews = 0;
        for (int i = 0; i < results.count(); ++i) {
            const auto result = resultAt(results, i);
            if (result->explanation.previewNote.empty())
                continue;
            QCOMPARE(i, previews++); // every preview before the base map
            QVERIFY(result->explanation.partial);
            QVERIFY2(result->explanation.previewNote.find(" of 100 passes") != std::string::npos,
                result->explanation.previewNote.c_str());
            const auto& method = result->explanation.methods.at(0);
            QCOMPARE(method.methodId, std::string("smoothgradcampp"));
            double low = 0, high = 0;
            cv::minMaxLoc(method.map, &low, &high);
            QVERIFY(low >= 0 && high <= 1 && !method.mask.empty());
        }
        QVERIFY2(previews >= 2, qPrintable(QString::number(previews)));
        QCOMPARE(results.count(), previews + 2);
        QVERIFY(!resultAt(results, results.count() - 1)->explanation.partial);
        samples->setValue(25);
        QVERIFY(waitForAnswer(*m_window));
    }

    void keepChangeRedrawsTheMasksAtOnce()
    {
        // A new "mask keeps" share needs no network for its masks: they are redrawn from the shown
        // maps in the same call (target 30 ms), the engine's re-classification follows.
        QVERIFY(m_window->selectMethod("gradcam"));
        QVERIFY(waitForAnswer(*m_window));
        const auto before = m_window->lastResult();
        auto* keep = m_window->settingsPanel()->findChild<QDoubleSpinBox*>();
        QVERIFY(keep);
        QSignalSpy engine(m_window->service(), &ExplainService::resultReady);
        keep->setValue(50);
        QCOMPARE(engine.count(), 0);
        qInfo("keep change redrawn in %.1f ms", m_window->keepRepaintMilliseconds());
        QVERIFY2(m_window->keepRepaintMilliseconds() < 100,
            qPrintable(QString::number(m_window->keepRepaintMilliseconds())));
        const auto panels = m_window->explainView()->stagePanels();
        QVERIFY2(panels[2]->caption().contains("keeps 50%"), qPrintable(panels[2]->caption()));
        QVERIFY2(panels[3]->caption().contains("re-classifying"), qPrintable(panels[3]->caption()));
        QVERIFY(waitForAnswer(*m_window));
        const auto after = m_window->lastResult();
        QCOMPARE(after->request.settings.keepPercent, 50.0);
        // The redrawn masks are the engine's, variants included.
        const auto redrawn = withKeepShare(*before, 50);
        const auto& ours = redrawn->explanation.methods.front();
        const auto& engineMasks = after->explanation.methods.front();
        QCOMPARE(cv::norm(ours.mask, engineMasks.mask, cv::NORM_INF), 0.0);
        QCOMPARE(ours.featureCam.size(), engineMasks.featureCam.size());
        for (std::size_t v = 0; v < ours.featureCam.size(); ++v)
            QCOMPARE(cv::norm(ours.featureCam[v].mask, engineMasks.featureCam[v].mask, cv::NORM_INF), 0.0);
        keep->setValue(80);
        QVERIFY(waitForAnswer(*m_window));
    }

    void scoreCamShowsProgressAndYieldsToANewerRequest()
    {
        // Score-CAM is 1280 forward passes on MobileNetV2 (about 20 s here): the status bar counts
        // its batches, and choosing another method stops it between two batches.
        QSignalSpy progress(m_window->service(), &ExplainService::progress);
        QVERIFY(m_window->selectMethod("scorecam"));
        QTRY_VERIFY_WITH_TIMEOUT(
            !progress.isEmpty() && progress.last().at(0).toString().contains("of 1280 feature maps"), 60000);
        QVERIFY2(
            progress.last().at(0).toString().startsWith("Score-CAM: "), qPrintable(progress.last().at(0).toString()));
        QElapsedTimer timer;
        timer.start();
        QVERIFY(m_window->selectMethod("gradcam"));
        QVERIFY(waitForAnswer(*m_window));
        QCOMPARE(m_window->lastResult()->explanation.methods.front().methodId, std::string("gradcam"));
        QVERIFY2(
            timer.elapsed() < 5000, qPrintable(QString("Score-CAM held the engine for %1 ms").arg(timer.elapsed())));
    }

    void dropsAnImageOntoTheWindow()
    {
        QMimeData data;
        data.setUrls({QUrl::fromLocalFile(fcs::test::samplePhoto(kTench))});
        QDragEnterEvent enter(QPoint(50, 50), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(m_window.get(), &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(50, 50), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(m_window.get(), &drop);
        QVERIFY(m_window->imagePath().endsWith(kTench));
        QVERIFY(waitForAnswer(*m_window));
        QVERIFY(m_window->lastResult()->request.imagePath.endsWith(kTench));
        QVERIFY(m_window->explainView()->stagePanels()[0]->caption().contains("tench"));
    }

    void compareViewShowsEveryMethod()
    {
        m_window->showCompareView(true);
        QVERIFY(waitForAnswer(*m_window));
        // Every catalogue method but the slow ones (CAM too: MobileNetV2's head is GAP + linear),
        // 4 panels each.
        // The photo once (issue 28: it was repeated on every row), then three pictures per method.
        QCOMPARE(int(m_window->compareView()->panels().size()), 1 + 3 * int(compareMethodIds().size()));
        QVERIFY(m_window->compareView()->panels()[0]->caption().startsWith("Original"));
        for (std::size_t k = 1; k < m_window->compareView()->panels().size(); ++k)
            QVERIFY(!m_window->compareView()->panels()[k]->caption().startsWith("Original"));
        QVERIFY(allPanelsFilled(m_window->compareView()->panels()));
        m_window->showCompareView(false);
    }

    // Issue 28: a screen reader names every control a keyboard can reach and every picture, on
    // each tab (Qt takes a form row's label as its field's name).
    void everyControlAndPictureHasAnAccessibleName()
    {
        auto* tabs = m_window->findChild<QTabWidget*>();
        QVERIFY(tabs);
        QStringList unnamed;
        for (int tab = 0; tab < tabs->count(); ++tab) {
            tabs->setCurrentIndex(tab);
            QCoreApplication::processEvents();
            for (QWidget* widget : m_window->findChildren<QWidget*>()) {
                const bool reachable = widget->focusPolicy() != Qt::NoFocus || qobject_cast<ImagePanel*>(widget);
                // A spin box's inner line edit is read through the spin box.
                if (!reachable || !widget->isVisible() || qobject_cast<QAbstractSpinBox*>(widget->parentWidget()))
                    continue;
                QAccessibleInterface* accessible = QAccessible::queryAccessibleInterface(widget);
                if (!accessible || accessible->text(QAccessible::Name).trimmed().isEmpty())
                    unnamed << tabs->tabText(tab) + ": " + widget->metaObject()->className() + " "
                            + widget->objectName();
            }
        }
        tabs->setCurrentIndex(0);
        unnamed.removeDuplicates();
        QVERIFY2(unnamed.isEmpty(), qPrintable("without a name: " + unnamed.join("; ")));
    }

    // Issue 28: the Explain view by keyboard alone. Tab reaches every picture and the side
    // panel's controls without a trap, Space on a variant shows its stages, the menu key offers
    // to save a picture.
    void theExplainViewWorksByKeyboardAlone()
    {
        m_window->openImage(fcs::test::samplePhoto(kTench));
        QVERIFY(waitForAnswer(*m_window));
        m_window->activateWindow();
        m_window->findChild<QTabWidget*>()->setCurrentIndex(0);
        m_window->findChild<QTabWidget*>()->tabBar()->setFocus();
        QSet<QWidget*> visited;
        for (int press = 0; press < 120; ++press) {
            QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
            visited.insert(QApplication::focusWidget());
        }
        ExplainView* view = m_window->explainView();
        std::vector<ImagePanel*> pictures = view->stagePanels();
        for (ImagePanel* panel : view->variantPanels())
            pictures.push_back(panel);
        for (ImagePanel* panel : pictures)
            QVERIFY2(visited.contains(panel), qPrintable("not reached by Tab: " + panel->caption()));
        // Every control of the side panel (model, method, edges, class, settings, colormap, opacity).
        auto* settings = m_window->findChild<SettingsPanel*>();
        QVERIFY(settings);
        int controls = 0;
        for (QWidget* control : settings->findChildren<QWidget*>()) {
            if (!control->isVisible() || !(control->focusPolicy() & Qt::TabFocus)
                || qobject_cast<QAbstractSpinBox*>(control->parentWidget()))
                continue;
            ++controls;
            QVERIFY2(visited.contains(control) || visited.contains(control->focusProxy()),
                qPrintable(QString("not reached by Tab: ") + control->metaObject()->className() + " "
                    + control->accessibleName()));
        }
        QVERIFY(controls >= 8);

        ImagePanel* second = view->variantPanels().at(1);
        second->setFocus();
        QTest::keyClick(second, Qt::Key_Space);
        QCOMPARE(view->selectedVariant(), 0); // the first Feature CAM variant
        QTest::keyClick(view->variantPanels().front(), Qt::Key_Return);
        QCOMPARE(view->selectedVariant(), -1); // the base map again
    }

    // Help ▸ Keyboard Shortcuts lists every menu command that has a key, and the views' own keys.
    void theShortcutsAreListedInHelp()
    {
        const QString help = shortcutsHelp(*m_window->menuBar());
        int listed = 0;
        std::function<void(const QMenu*)> visit = [&](const QMenu* menu) {
            for (const QAction* action : menu->actions()) {
                if (action->menu())
                    visit(action->menu());
                else if (!action->shortcut().isEmpty()) {
                    const QString key = action->shortcut().toString(QKeySequence::NativeText).toHtmlEscaped();
                    QVERIFY2(help.contains(key) && help.contains(QString(action->text()).remove('&').toHtmlEscaped()),
                        qPrintable(action->text()));
                    ++listed;
                }
            }
        };
        for (const QAction* action : m_window->menuBar()->actions())
            if (action->menu())
                visit(action->menu());
        QVERIFY(listed >= 15); // File, View, Method (Alt+1…9), Help
        QVERIFY(help.contains("Open Model") && help.contains("Keyboard Shortcuts"));
        for (const char* viewKey : {"Live: pause", "F11", "Page Down", "Survey session"})
            QVERIFY2(help.contains(viewKey), viewKey);
        if (const QString shots = qEnvironmentVariable("FCS_SCREENSHOT_DIR"); !shots.isEmpty()) {
            QLabel shown(help); // what the Help dialog shows, to look at
            shown.adjustSize();
            shown.grab().save(shots + "/shortcuts.png");
        }
    }

    void everyFrontEndListsTheCatalogue()
    {
        // The method box and the Method menu: the catalogue, in its order.
        QComboBox* methods = m_window->settingsPanel()->methodCombo();
        QCOMPARE(methods->count(), int(methodCatalog().size()));
        QStringList menuItems;
        for (QAction* top : m_window->menuBar()->actions())
            if (top->text() == "&Method")
                for (QAction* item : top->menu()->actions())
                    menuItems << item->text();
        QCOMPARE(menuItems.size(), int(methodCatalog().size()));
        for (int i = 0; i < methods->count(); ++i) {
            QCOMPARE(methods->itemData(i).toString().toStdString(), methodCatalog()[std::size_t(i)].id);
            QCOMPARE(menuItems[i].toStdString(), methodCatalog()[std::size_t(i)].displayName);
        }
        // The edge detectors: "Automatic", then the catalogue's for this models path.
        QComboBox* edges = m_window->settingsPanel()->edgeCombo();
        const auto offered = availableEdgeDetectors(edgeOptionsFor(appModelDirs({})));
        QCOMPARE(edges->count(), int(offered.size()) + 1);
        QCOMPARE(edges->itemData(0).toString(), QString());
        for (std::size_t i = 0; i < offered.size(); ++i)
            QCOMPARE(edges->itemData(int(i) + 1).toString().toStdString(), offered[i].id);
        // The survey builder: one check box per method; the protocol's checked.
        SurveyBuilderDialog builder(appModelDirs({}));
        std::vector<std::string> boxes, checked;
        for (auto* box : builder.findChildren<QCheckBox*>()) {
            const QString id = box->property("methodId").toString();
            if (id.isEmpty())
                continue;
            boxes.push_back(id.toStdString());
            if (box->isChecked())
                checked.push_back(id.toStdString());
        }
        QCOMPARE(boxes, allMethodIds());
        QCOMPARE(checked, paperMethodIds());
    }

    void errorsShowInTheWindow()
    {
        // A corrupt image.
        const QString corrupt = m_dir.filePath("corrupt.jpg");
        QFile file(corrupt);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("\xFF\xD8\xFF\xE0 this is not really a JPEG");
        file.close();
        m_window->openImage(corrupt);
        QVERIFY(waitForAnswer(*m_window));
        QVERIFY2(m_window->errorMessage().contains("corrupt.jpg"), qPrintable(m_window->errorMessage()));

        // A model whose weights file is garbage, with a valid sidecar.
        QDir models(m_dir.filePath("models"));
        QVERIFY(models.mkpath("."));
        QFile::copy(fcs::test::modelsDir() + "/mobilenet_v2_1.0_224.json", models.filePath("broken.json"));
        QFile::copy(fcs::test::modelsDir() + "/imagenet_labels.txt", models.filePath("imagenet_labels.txt"));
        QFile weights(models.filePath("broken.pt"));
        QVERIFY(weights.open(QIODevice::WriteOnly));
        weights.write("not a TorchScript archive");
        weights.close();
        m_window->openImage(fcs::test::samplePhoto(kTench));
        QVERIFY(waitForAnswer(*m_window));
        QVERIFY(m_window->selectModel(models.filePath("broken.json")));
        QVERIFY(waitForAnswer(*m_window));
        QVERIFY2(!m_window->errorMessage().isEmpty(), "no message for a broken model");

        // Still usable: back to the good model.
        QVERIFY(m_window->selectModel("mobilenet_v2_1.0_224"));
        QVERIFY(waitForAnswer(*m_window));
        QVERIFY(m_window->errorMessage().isEmpty());
        QVERIFY(allPanelsFilled(m_window->explainView()->stagePanels()));
    }

    // What users bring, in the window: a phone photo is explained upright; a file declaring a
    // huge image and a sidecar missing a field each get a message naming the problem.
    void aFailureAfterTheBaseMapLeavesNoEndlessWait()
    {
        // The base map is on screen when the edge model turns out broken: the error shows, and no
        // panel keeps saying "re-classifying…" or "waiting for edges…".
        QDir models(m_dir.filePath("broken-edges"));
        QVERIFY(models.mkpath("."));
        QVERIFY(QFile::copy(fcs::test::modelsDir() + "/pidinet_tiny.json", models.filePath("pidinet_tiny.json")));
        QFile weights(models.filePath("pidinet_tiny.pt"));
        QVERIFY(weights.open(QIODevice::WriteOnly));
        weights.write("not a TorchScript archive");
        weights.close();
        MainWindow window({models.absolutePath().toStdString()});
        QVERIFY(window.selectModel("mobilenet_v2_1.0_224"));
        QSignalSpy results(window.service(), &ExplainService::resultReady);
        window.openImage(fcs::test::samplePhoto(kTench));
        QVERIFY(waitForAnswer(window));
        QVERIFY2(!window.errorMessage().isEmpty(), "no message for a broken edge model");
        QVERIFY(!results.isEmpty() && resultAt(results, 0)->explanation.partial); // the base map came first
        std::vector<ImagePanel*> panels = window.explainView()->stagePanels();
        for (auto* panel : window.explainView()->variantPanels())
            panels.push_back(panel);
        for (auto* panel : panels)
            QVERIFY2(!panel->caption().contains("re-classifying") && !panel->caption().contains("waiting for edges"),
                qPrintable(panel->caption()));
    }

    void oddInputsInTheWindow()
    {
        const cv::Mat upright = cv::imread(fcs::test::samplePhoto(kTench).toStdString());
        cv::Mat stored;
        cv::rotate(upright, stored, cv::ROTATE_90_COUNTERCLOCKWISE);
        const fcs::test::Bytes phone = fcs::test::jpegWithOrientation(stored, 6);
        QFile photo(m_dir.filePath("phone.jpg"));
        QVERIFY(photo.open(QIODevice::WriteOnly));
        photo.write(reinterpret_cast<const char*>(phone.data()), qint64(phone.size()));
        photo.close();
        m_window->selectMethod("gradcam");
        m_window->openImage(photo.fileName());
        QVERIFY(waitForAnswer(*m_window));
        QVERIFY2(m_window->lastResult(), qPrintable(m_window->errorMessage()));
        QCOMPARE(m_window->lastResult()->original.cols, upright.cols); // shown and explained upright
        QCOMPARE(m_window->lastResult()->original.rows, upright.rows);
        QCOMPARE(m_window->lastResult()->explanation.predictions.front().classIndex, 0); // tench

        QFile huge(m_dir.filePath("huge.png"));
        QVERIFY(huge.open(QIODevice::WriteOnly));
        huge.write(QByteArray(
            "\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\xc3\x50\x00\x00\xc3\x50\x08\x02\x00\x00\x00", 29));
        huge.close();
        m_window->openImage(huge.fileName());
        QVERIFY(waitForAnswer(*m_window));
        QVERIFY2(m_window->errorMessage().contains("megapixels"), qPrintable(m_window->errorMessage()));

        QDir models(m_dir.filePath("odd-models"));
        QVERIFY(models.mkpath("."));
        QFile sidecar(fcs::test::modelsDir() + "/mobilenet_v2_1.0_224.json");
        QVERIFY(sidecar.open(QIODevice::ReadOnly));
        QJsonObject json = QJsonDocument::fromJson(sidecar.readAll()).object();
        json.remove("mean");
        QFile edited(models.filePath("nomean.json"));
        QVERIFY(edited.open(QIODevice::WriteOnly));
        edited.write(QJsonDocument(json).toJson());
        edited.close();
        QFile::copy(fcs::test::modelsDir() + "/imagenet_labels.txt", models.filePath("imagenet_labels.txt"));
        QFile::copy(fcs::test::modelsDir() + "/mobilenet_v2_1.0_224.pt", models.filePath("nomean.pt"));
        m_window->openImage(fcs::test::samplePhoto(kTench));
        QVERIFY(waitForAnswer(*m_window));
        m_window->selectModel(models.filePath("nomean.json"));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->errorMessage().contains("mean"), 60000);

        QVERIFY(m_window->selectModel("mobilenet_v2_1.0_224")); // and the window is still usable
        QVERIFY(waitForAnswer(*m_window));
        QVERIFY(m_window->errorMessage().isEmpty());
    }

    void showsEvaluationResults()
    {
        // A small evaluation folder: two images, Grad-CAM base and X1-I1 and a baseline, with curves.
        QDir folder(m_dir.filePath("evaluation"));
        QVERIFY(folder.mkpath("."));
        std::string csv = fcs::csvLine(fcs::perImageHeader());
        for (const char* image : {"a.jpg", "b.jpg"})
            for (const auto& [method, variant] : std::vector<std::pair<std::string, std::string>>{
                     {"gradcam", "base"}, {"gradcam", "X1-I1"}, {"baseline", "sobel"}}) {
                fcs::EvaluationRecord r;
                r.image = image;
                r.model = "m";
                r.method = method;
                r.variant = variant;
                r.convention = "hard";
                r.origTop1 = 1;
                r.origConf = 0.8;
                r.explTop1 = 1;
                r.explConf = variant == "base" ? 0.6 : 0.7;
                r.deletionCurve = {0.8, 0.3, 0.1};
                r.insertionCurve = {0.1, 0.5, 0.8};
                r.deletionAuc = 0.375;
                r.insertionAuc = 0.475;
                csv += fcs::perImageLine(r);
            }
        QFile file(folder.filePath("per_image.csv"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray::fromStdString(csv));
        file.close();
        EvaluationWindow window(folder.path());
        window.show();
        QCOMPARE(int(window.rows().size()), 3);
        for (int chart = 0; chart < window.chartChoice()->count(); ++chart) {
            window.chartChoice()->setCurrentIndex(chart);
            QVERIFY2(window.plot()->plottableCount() + window.plot()->graphCount() > 0,
                qPrintable(window.chartChoice()->currentText()));
        }
        QVERIFY_THROWS_EXCEPTION(fcs::Error, EvaluationWindow(m_dir.filePath("no-such-folder")));
    }

    void settingsSurviveARestart()
    {
        SettingsPanel first;
        first.loadSettings();
        first.setMethod("smoothgradcampp");
        auto* keep = first.findChild<QDoubleSpinBox*>();
        QVERIFY(keep);
        keep->setValue(65);
        first.saveSettings();
        SettingsPanel second;
        second.loadSettings();
        QCOMPARE(second.method(), std::string("smoothgradcampp"));
        QCOMPARE(second.explainSettings().keepPercent, 65.0);
        first.setMethod("gradcam");
        keep->setValue(80);
        first.saveSettings();
    }

    void exportsAFigure()
    {
        QVERIFY(m_window->lastResult());
        const QString png = m_dir.filePath("figure.png");
        const QString pdf = m_dir.filePath("figure.pdf");
        QVERIFY(m_window->exportFigureTo(png));
        QVERIFY(m_window->exportFigureTo(pdf));
        QImage image(png);
        QVERIFY(!image.isNull());
        // 4 columns at least (the stages), at scale 2; rows for the stages and the variants.
        QVERIFY2(image.width() >= 2 * (4 * 220) && image.height() > image.width() / 3,
            qPrintable(QString("%1×%2").arg(image.width()).arg(image.height())));
        QFile file(pdf);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QVERIFY(bytes.startsWith("%PDF"));
        QVERIFY(bytes.size() > 20000); // the pictures are in it
        // The PDF page is the figure's size in points (PNG at scale 2 = twice that in pixels).
        const auto box
            = QRegularExpression(R"(/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\])").match(QString::fromLatin1(bytes));
        QVERIFY2(box.hasMatch(), "no page size in the PDF");
        QVERIFY2(qAbs(box.captured(1).toDouble() - image.width() / 2.0) <= 1
                && qAbs(box.captured(2).toDouble() - image.height() / 2.0) <= 1,
            qPrintable("page " + box.captured(0)));
    }
};

QTEST_MAIN(TestMainWindow)
#include "TestMainWindow.moc"
