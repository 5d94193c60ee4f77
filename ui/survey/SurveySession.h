#pragma once
// A participant's session, full screen and free of distractions: a code (no personal data),
// the instructions, then one saliency map at a time — task 1, pick the original image from the
// pool (click or number keys); task 2, rate how well the map explains it (click or keys 0..max)
// — then a thank-you page. Every answer is written to the survey file the moment it is given; a
// participant who comes back with the same code continues at the first unanswered task. The
// participant never sees which method made a map. Esc asks before it quits.

#include "engine/survey/ParticipantLock.h"
#include "engine/survey/SurveyDatabase.h"
#include "ui/survey/TypedNumber.h"

#include <QElapsedTimer>
#include <QWidget>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

class QLabel;
class QLineEdit;
class QPushButton;
class QToolButton;
class QStackedWidget;
class QTimer;

namespace fcs {

class SurveySession : public QWidget
{
    Q_OBJECT

public:
    enum Page { CodePage, InstructionsPage, TrialPage, ThanksPage };

    explicit SurveySession(SurveyDatabase survey, QWidget* parent = nullptr);
    ~SurveySession() override;

    // Seeds come from the system's random device unless set here (tests, reproducible pilots).
    void setSeedForNewParticipants(std::uint64_t seed) { m_fixedSeed = seed; }
    // Esc quits without asking (tests); the default asks.
    void setConfirmQuit(bool confirm) { m_confirmQuit = confirm; }

    Page page() const;
    int currentPosition() const; // the trial shown, -1 outside trials
    bool awaitingRating() const { return m_awaitingRating; }
    const std::vector<Trial>& trials() const { return m_trials; }
    SurveyDatabase& survey() { return m_survey; }
    QLineEdit* codeEdit() const { return m_codeEdit; }
    QString message() const; // the code page's note (errors)
    // A write or read of the survey file that failed, shown on the trial page until it works.
    QString saveProblem() const;
    void retryNow(); // what the "Try again" button does (also every few seconds by itself)

Q_SIGNALS:
    void finished(); // the thank-you page is showing
    void answered(int position); // a rating was saved

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    void startWithCode();
    void beginTrials();
    void showTrial();
    void pick(int poolIndex);
    void rate(int rating);
    void typedDigit(int digit);
    void answerTyped(std::optional<int> answer);
    void advance();
    void askToQuit();
    // Runs `action` (a write, then what follows it); if the file cannot be written, keeps it for
    // retrying, shows the participant what happened, and blocks further answers until it works.
    void attempt(std::function<void()> action, std::function<void()> then = {});
    QWidget* buildCodePage();
    QWidget* buildInstructionsPage();
    QWidget* buildTrialPage();
    QWidget* buildThanksPage();

    SurveyDatabase m_survey;
    SurveyInfo m_info;
    std::optional<std::uint64_t> m_fixedSeed;
    bool m_confirmQuit = true;
    int m_participant = -1;
    std::vector<Trial> m_trials;
    int m_current = -1; // index into m_trials
    bool m_awaitingRating = false;
    bool m_swallowReturn = false;
    QElapsedTimer m_clock;
    ParticipantLock m_lock; // held while this window serves a participant
    std::function<void()> m_retry; // the unsaved answer, while there is one
    std::function<void()> m_then; // what follows it once saved

    QStackedWidget* m_pages;
    QLineEdit* m_codeEdit = nullptr;
    QLabel* m_codeNote = nullptr;
    QLabel* m_instructions = nullptr;
    QLabel* m_progress = nullptr;
    QLabel* m_task = nullptr;
    QLabel* m_stimulus = nullptr;
    std::vector<QToolButton*> m_poolButtons;
    std::vector<QPushButton*> m_ratingButtons;
    QWidget* m_poolRow = nullptr;
    QWidget* m_ratingRow = nullptr;
    QWidget* m_problemBox = nullptr;
    QLabel* m_problem = nullptr;
    QTimer* m_retryTimer = nullptr;
    // Numbers typed by keys (two digits for 10 and more), and the pause that ends one.
    TypedNumber m_pickKeys;
    TypedNumber m_ratingKeys;
    QTimer* m_typingPause = nullptr;
    QString m_taskText; // the task's sentence without what is being typed
};

} // namespace fcs
