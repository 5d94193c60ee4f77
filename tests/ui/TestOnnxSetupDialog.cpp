// The window's set-up of an ONNX model without a sidecar (issue 27, item 3): the dialog shows the
// size the file declares, a live top-5 of the current photo under the answers (the ImageNet preset
// reads this [-1, 1] model wrongly; the [-1, 1] preset finds the zebra), refuses labels that do not
// match, and Save writes the sidecar the models path then lists; the window then explains it, and
// its layer picker moves the explanation to another tensor of the graph.

#include "TestPaths.h"

#include "engine/model/ModelCatalog.h"
#include "ui/MainWindow.h"
#include "ui/window/OnnxSetupDialog.h"
#include "ui/worker/ExplainJob.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QInputDialog>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include <fstream>

using namespace fcs;

class TestOnnxSetupDialog : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_onnx, m_shared;

    static bool waitForPreview(OnnxSetupDialog& dialog)
    {
        QSignalSpy shown(&dialog, &OnnxSetupDialog::previewShown);
        return shown.wait(120000);
    }

    static QPushButton* saveButton(OnnxSetupDialog& dialog)
    {
        return dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Save);
    }

private Q_SLOTS:
    void initTestCase()
    {
        fcs::test::isolateWindowSettings(m_dir.filePath("config"), "TestOnnxSetupDialog");
        m_shared = fcs::test::modelsDir() + "/onnx";
        if (!QFile::exists(m_shared + "/mobilenet_v2_1.0_224.onnx"))
            QSKIP(qPrintable("the ONNX MobileNetV2 is not in " + m_shared));
        FCS_REQUIRE_SAMPLE_DATA();
        m_onnx = m_dir.filePath("mynet.onnx");
        QVERIFY(QFile::copy(m_shared + "/mobilenet_v2_1.0_224.onnx", m_onnx));
    }

    void thePreviewFollowsTheAnswersAndSaveWritesTheSidecar()
    {
        OnnxSetupDialog dialog(m_onnx, fcs::test::samplePhoto("n02391049_zebra.JPEG"));
        dialog.show();
        const auto spins = dialog.findChildren<QSpinBox*>();
        QCOMPARE(spins.size(), 2);
        QCOMPARE(spins[0]->value(), 224);
        QVERIFY(!spins[0]->isEnabled()); // the file declares its size
        QVERIFY(waitForPreview(dialog));
        QVERIFY2(dialog.previewText().contains("1000 classes"), qPrintable(dialog.previewText()));
        QVERIFY(saveButton(dialog)->isEnabled());

        auto* normalization = dialog.findChild<QComboBox*>("normalization");
        normalization->setCurrentIndex(normalization->findData("minus-one-to-one"));
        auto* labels = dialog.findChild<QLineEdit*>("labels");
        labels->setText(m_shared + "/imagenet_labels.txt");
        QVERIFY(!saveButton(dialog)->isEnabled()); // until the new answers are read
        QVERIFY(waitForPreview(dialog));
        QVERIFY2(dialog.previewText().contains("zebra"), qPrintable(dialog.previewText()));

        const QString shortLabels = m_dir.filePath("short.txt");
        std::ofstream(shortLabels.toStdString()) << "cat\ndog\n";
        labels->setText(shortLabels);
        QVERIFY(waitForPreview(dialog));
        QVERIFY2(dialog.previewText().contains("2 lines"), qPrintable(dialog.previewText()));
        QVERIFY(!saveButton(dialog)->isEnabled());

        labels->setText(m_shared + "/imagenet_labels.txt");
        QVERIFY(waitForPreview(dialog));
        const QImage shot = dialog.grab().toImage();
        shot.save(m_dir.filePath("dialog.png"));
        if (qEnvironmentVariableIsSet("FCS_SCREENSHOT_DIR"))
            shot.save(qEnvironmentVariable("FCS_SCREENSHOT_DIR") + "/onnx-setup-dialog.png");
        saveButton(dialog)->click();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(dialog.sidecarPath(), m_dir.filePath("mynet.json"));
        const Sidecar saved = findModel({m_dir.path().toStdString()}, "mynet");
        QCOMPARE(saved.mean[0], 0.5f);
        QCOMPARE(saved.labels.at(340).substr(0, 5), std::string("zebra"));
    }

    // The window's layer picker: the ONNX model's explainable tensors with their shapes; a pick is
    // saved in its sidecar and the explain view runs again at that layer.
    void theWindowPicksAnotherLayer()
    {
        QVERIFY(QFile::exists(m_dir.filePath("mynet.json"))); // from the test before
        MainWindow window({m_dir.path().toStdString()});
        window.resize(1200, 800);
        window.show();
        QVERIFY(window.selectModel("mynet"));
        window.openImage(fcs::test::samplePhoto("n02391049_zebra.JPEG"));
        QTRY_VERIFY_WITH_TIMEOUT(window.lastResult() && !window.lastResult()->explanation.partial, 120000);
        QVERIFY2(window.lastResult()->explanation.predictions.front().label.substr(0, 5) == "zebra",
            window.lastResult()->explanation.predictions.front().label.c_str());
        if (qEnvironmentVariableIsSet("FCS_SCREENSHOT_DIR"))
            window.grab().save(qEnvironmentVariable("FCS_SCREENSHOT_DIR") + "/onnx-window.png");
        const auto before = window.lastResult();

        QAction* pick = nullptr;
        for (QAction* action : window.findChildren<QAction*>())
            if (action->text() == "Model &Layer to Explain…")
                pick = action;
        QVERIFY(pick);
        QString offered;
        QTimer::singleShot(500, [&offered]() {
            for (QWidget* top : QApplication::topLevelWidgets())
                if (auto* dialog = qobject_cast<QInputDialog*>(top); dialog && dialog->isVisible()) {
                    offered = dialog->comboBoxItems().join("\n");
                    for (const QString& item : dialog->comboBoxItems())
                        if (item.contains("[1 × 96 × 14 × 14]"))
                            dialog->setTextValue(item);
                    dialog->accept();
                }
        });
        pick->trigger();
        QVERIFY2(offered.contains("(the importer's choice)") && offered.contains("[1 × 1280 × 7 × 7]"),
            qPrintable(offered));
        const Sidecar saved = findModel({m_dir.path().toStdString()}, "mynet");
        QVERIFY2(!saved.targetLayer.empty(), "the pick was not saved");
        QTRY_VERIFY_WITH_TIMEOUT(window.lastResult() != before && window.lastResult()
                && !window.lastResult()->explanation.partial,
            120000);
        const cv::Mat& a = before->explanation.methods.front().map;
        const cv::Mat& b = window.lastResult()->explanation.methods.front().map;
        QVERIFY(cv::norm(a - b, cv::NORM_INF) > 0.05); // explained at the picked layer
    }
};

QTEST_MAIN(TestOnnxSetupDialog)
#include "TestOnnxSetupDialog.moc"
