#pragma once
// The researcher's survey builder: images, classifiers, methods and Feature CAM variants, the
// pool size and the rating scale; "Build" renders every stimulus on a background thread with a
// progress bar (it may take minutes) into one survey file.

#include "engine/core/CancelToken.h"

#include <QDialog>

#include <functional>
#include <memory>
#include <string>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QThread;

namespace fcs {

class SurveyBuilderDialog : public QDialog
{
    Q_OBJECT

public:
    explicit SurveyBuilderDialog(const std::vector<std::string>& modelDirs, QWidget* parent = nullptr);
    ~SurveyBuilderDialog() override; // cancels a running build and waits for it

    // For tests and scripts: fill the form.
    void setImages(const QString& csvOrFolder, int limit);
    void setOutput(const QString& path);
    void setMethods(const QStringList& methodIds);
    void setVariants(const QString& set); // "top5", "all", "none"
    void checkOnlyModel(const QString& modelId);
    // Asked before an existing survey file typed as the output is replaced (default: a
    // QMessageBox that warns about its answers); tests answer without a dialog.
    void setReplaceConfirmation(std::function<bool(const QString& path)> confirm)
    {
        m_confirmReplace = std::move(confirm);
    }
    void build();
    bool isBuilding() const { return m_thread != nullptr; }
    QString statusText() const;

Q_SIGNALS:
    void built(const QString& path);
    void failed(const QString& message);

protected:
    void reject() override;

private:
    void onFinished(const QString& error);

    std::vector<std::string> m_modelDirs;
    std::function<bool(const QString&)> m_confirmReplace;
    QString m_replaceConfirmedFor; // chosen in the save dialog, which asked already
    QLineEdit* m_images;
    QSpinBox* m_limit;
    QListWidget* m_models;
    std::vector<QCheckBox*> m_methods;
    QComboBox* m_variants;
    QSpinBox* m_poolSize;
    QSpinBox* m_ratingMax;
    QLineEdit* m_output;
    QProgressBar* m_progress;
    QLabel* m_status;
    QPushButton* m_build;
    QThread* m_thread = nullptr;
    std::shared_ptr<CancelToken> m_cancel;
};

} // namespace fcs
