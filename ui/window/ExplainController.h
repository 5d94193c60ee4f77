#pragma once
// Turns what the window shows (image, model, settings, the current view) into engine requests,
// and remembers which view's result is out of date, so that switching views runs the engine
// only when needed. Owns the ExplainService. Torch-free.

#include "ui/worker/ExplainJob.h"

#include <QObject>
#include <QString>

#include <memory>
#include <string>
#include <vector>

namespace fcs {

class ExplainService;
class SettingsPanel;

class ExplainController : public QObject
{
    Q_OBJECT

public:
    ExplainController(SettingsPanel* settings, QObject* parent = nullptr);

    ExplainService* service() const { return m_service; }
    void setModelDirs(const std::vector<std::string>& dirs) { m_modelDirs = dirs; }
    const std::vector<std::string>& modelDirs() const { return m_modelDirs; }

    const QString& imagePath() const { return m_imagePath; }
    void setImage(const QString& path); // every view is out of date; runs the current one

    ViewKind view() const { return m_view; }
    void setView(ViewKind view); // runs it when its result is out of date

    void settingsChanged(); // every view is out of date; runs the current one
    // The explain view's requests also take the method apart (the inside window is open); when
    // switched on, the explain view runs again.
    void setDissect(bool dissect);
    bool dissects() const { return m_dissect; }
    void runAgain(); // the current view, even when up to date

    // The explain view's newest result (null until one arrives, and after a new image).
    std::shared_ptr<const ExplainResult> explainResult() const { return m_explainResult; }
    void forgetExplainResult() { m_explainResult.reset(); }

Q_SIGNALS:
    void resultReady(std::shared_ptr<const fcs::ExplainResult> result);
    void failed(const QString& message, const QString& detail);
    void modelMissing(); // a request was due but no classifier is chosen

private:
    void run();
    ExplainRequest requestFor(ViewKind view) const;
    void onResult(std::shared_ptr<const ExplainResult> result);
    bool& stale(ViewKind view) { return view == ViewKind::Explain ? m_explainStale : m_compareStale; }

    SettingsPanel* m_settings;
    ExplainService* m_service;
    std::vector<std::string> m_modelDirs;
    QString m_imagePath;
    ViewKind m_view = ViewKind::Explain;
    bool m_explainStale = true;
    bool m_compareStale = true;
    bool m_dissect = false;
    std::shared_ptr<const ExplainResult> m_explainResult;
};

} // namespace fcs
