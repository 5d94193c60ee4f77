#pragma once
// Asked once for an ONNX model that came without a sidecar (issue 27): its input size, colour
// order, normalization (presets: ImageNet, [-1, 1], [0, 1], or custom) and labels file, with a
// live top-5 of the current photo under those answers, so that a wrong normalization shows before
// it is saved. Save writes NAME.json (and its labels) beside the .onnx. Torch-free.

#include <QDialog>
#include <QString>

#include <atomic>
#include <memory>
#include <thread>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTimer;

namespace fcs {

struct OnnxAnswers;
struct OnnxFileFacts;

class OnnxSetupDialog : public QDialog
{
    Q_OBJECT

public:
    // Throws fcs::Error(BadModel) when the file is not an ONNX model the importer reads.
    OnnxSetupDialog(const QString& onnxPath, const QString& photoPath, QWidget* parent = nullptr);
    ~OnnxSetupDialog() override;

    QString sidecarPath() const; // after accept(): the sidecar written
    QString previewText() const; // what the preview shows (for tests)

public Q_SLOTS:
    void accept() override;

Q_SIGNALS:
    void previewShown(); // a preview (or its error) is on screen

private:
    OnnxAnswers answers() const;
    void answersChanged();
    void startPreview();
    void showPreview(quint64 generation, const QString& text, bool ok);

    QString m_onnxPath, m_photoPath, m_sidecarPath;
    std::unique_ptr<OnnxFileFacts> m_facts;
    QSpinBox* m_height;
    QSpinBox* m_width;
    QComboBox* m_colorOrder;
    QComboBox* m_normalization;
    QLineEdit* m_mean;
    QLineEdit* m_std;
    QLineEdit* m_labels;
    QLabel* m_preview;
    QDialogButtonBox* m_buttons;
    QTimer* m_debounce;
    std::thread m_previewThread;
    std::atomic<quint64> m_generation{0};
    bool m_previewBusy = false, m_previewAgain = false;
};

} // namespace fcs
