#include "ui/survey/SurveySession.h"

#include "engine/core/Error.h"

#include <QApplication>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QStackedWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <random>
#include <utility>

namespace fcs {
namespace {

QPixmap pixmapFromPng(const QByteArray& png, QSize box)
{
    QPixmap pixmap;
    pixmap.loadFromData(png, "PNG");
    return pixmap.isNull() ? pixmap : pixmap.scaled(box, Qt::KeepAspectRatio, Qt::SmoothTransformation);
}

QLabel* bigLabel(const QString& text, int pointSize, QWidget* parent)
{
    auto* label = new QLabel(text, parent);
    QFont font = label->font();
    font.setPointSize(pointSize);
    label->setFont(font);
    label->setWordWrap(true);
    label->setAlignment(Qt::AlignCenter);
    return label;
}

} // namespace

SurveySession::SurveySession(SurveyDatabase survey, QWidget* parent)
    : QWidget(parent)
    , m_survey(std::move(survey))
    , m_info(m_survey.info())
    , m_pages(new QStackedWidget(this))
    , m_pickKeys(1, m_info.poolSize)
    , m_ratingKeys(0, m_info.ratingMax)
{
    setWindowTitle("Survey — Feature CAM Studio");
    setAutoFillBackground(true);
    QPalette calm = palette();
    calm.setColor(QPalette::Window, QColor(245, 245, 245));
    setPalette(calm);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_pages);
    m_pages->addWidget(buildCodePage());
    m_pages->addWidget(buildInstructionsPage());
    m_pages->addWidget(buildTrialPage());
    m_pages->addWidget(buildThanksPage());
    m_pages->setCurrentIndex(CodePage);
}

SurveySession::~SurveySession() = default;

SurveySession::Page SurveySession::page() const
{
    return Page(m_pages->currentIndex());
}

int SurveySession::currentPosition() const
{
    return page() == TrialPage && m_current >= 0 ? m_trials[std::size_t(m_current)].position : -1;
}

QString SurveySession::message() const
{
    return m_codeNote->text();
}

QWidget* SurveySession::buildCodePage()
{
    auto* page = new QWidget;
    auto* layout = new QVBoxLayout(page);
    layout->addStretch(2);
    layout->addWidget(bigLabel("Welcome", 28, page));
    layout->addWidget(
        bigLabel("Please type the participant code you were given (not your name), then press Enter.", 16, page));
    m_codeEdit = new QLineEdit(page);
    m_codeEdit->setMaxLength(40);
    m_codeEdit->setAlignment(Qt::AlignCenter);
    QFont font = m_codeEdit->font();
    font.setPointSize(20);
    m_codeEdit->setFont(font);
    m_codeEdit->setMaximumWidth(420);
    auto* row = new QHBoxLayout;
    row->addStretch();
    row->addWidget(m_codeEdit);
    row->addStretch();
    layout->addLayout(row);
    m_codeNote = bigLabel(QString(), 13, page);
    layout->addWidget(m_codeNote);
    layout->addStretch(3);
    connect(m_codeEdit, &QLineEdit::returnPressed, this, &SurveySession::startWithCode);
    return page;
}

QWidget* SurveySession::buildInstructionsPage()
{
    auto* page = new QWidget;
    auto* layout = new QVBoxLayout(page);
    layout->addStretch(1);
    layout->addWidget(bigLabel("How this works", 26, page));
    m_instructions = bigLabel(QString(), 16, page);
    layout->addWidget(m_instructions);
    auto* begin = new QPushButton("Begin (Enter)", page);
    begin->setMinimumHeight(48);
    begin->setMaximumWidth(300);
    auto* row = new QHBoxLayout;
    row->addStretch();
    row->addWidget(begin);
    row->addStretch();
    layout->addLayout(row);
    layout->addStretch(2);
    connect(begin, &QPushButton::clicked, this, &SurveySession::beginTrials);
    return page;
}

QWidget* SurveySession::buildTrialPage()
{
    auto* page = new QWidget;
    auto* layout = new QVBoxLayout(page);
    m_progress = bigLabel(QString(), 12, page);
    m_progress->setAlignment(Qt::AlignRight);
    layout->addWidget(m_progress);
    m_stimulus = new QLabel(page);
    m_stimulus->setAlignment(Qt::AlignCenter);
    m_stimulus->setMinimumSize(200, 200);
    m_stimulus->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored);
    layout->addWidget(m_stimulus, 5);
    m_task = bigLabel(QString(), 17, page);
    layout->addWidget(m_task);

    m_problemBox = new QWidget(page);
    m_problemBox->setStyleSheet("background: #fde8e8; color: #7a1010;");
    auto* problemRow = new QHBoxLayout(m_problemBox);
    m_problem = bigLabel(QString(), 14, m_problemBox);
    problemRow->addWidget(m_problem, 1);
    auto* retry = new QPushButton("Try again", m_problemBox);
    retry->setMinimumHeight(44);
    problemRow->addWidget(retry);
    m_problemBox->hide();
    layout->addWidget(m_problemBox);
    connect(retry, &QPushButton::clicked, this, &SurveySession::retryNow);
    m_typingPause = new QTimer(this);
    m_typingPause->setSingleShot(true);
    m_typingPause->setInterval(1200); // long enough for a second digit, short enough to feel answered
    connect(m_typingPause, &QTimer::timeout, this, [this]() {
        answerTyped(m_awaitingRating ? m_ratingKeys.finish() : m_pickKeys.finish());
    });
    m_retryTimer = new QTimer(this);
    m_retryTimer->setInterval(5000);
    connect(m_retryTimer, &QTimer::timeout, this, &SurveySession::retryNow);

    // Up to six photos in a row; more (the builder allows 12) in two rows of smaller photos, so
    // that the trial fits a 1366 x 768 screen.
    m_poolRow = new QWidget(page);
    auto* pool = new QGridLayout(m_poolRow);
    const bool twoRows = m_info.poolSize > 6;
    const int columns = twoRows ? (m_info.poolSize + 1) / 2 : m_info.poolSize;
    pool->setColumnStretch(0, 1);
    pool->setColumnStretch(columns + 1, 1);
    for (int i = 0; i < m_info.poolSize; ++i) {
        auto* button = new QToolButton(m_poolRow);
        button->setToolButtonStyle(Qt::ToolButtonTextUnderIcon);
        button->setIconSize(twoRows ? QSize(140, 105) : QSize(220, 165));
        button->setMinimumSize(twoRows ? QSize(156, 132) : QSize(240, 200));
        button->setFocusPolicy(Qt::NoFocus);
        QFont font = button->font();
        font.setPointSize(15);
        button->setFont(font);
        connect(button, &QPushButton::clicked, this, [this, i]() { pick(i); });
        pool->addWidget(button, i / columns, 1 + i % columns);
        m_poolButtons.push_back(button);
    }
    layout->addWidget(m_poolRow, 3);

    m_ratingRow = new QWidget(page);
    auto* rating = new QHBoxLayout(m_ratingRow);
    rating->addStretch();
    rating->addWidget(new QLabel("not at all", m_ratingRow));
    for (int r = 0; r <= m_info.ratingMax; ++r) {
        auto* button = new QPushButton(QString::number(r), m_ratingRow);
        button->setMinimumSize(56, 56);
        button->setFocusPolicy(Qt::NoFocus);
        QFont font = button->font();
        font.setPointSize(16);
        button->setFont(font);
        connect(button, &QPushButton::clicked, this, [this, r]() { rate(r); });
        rating->addWidget(button);
        m_ratingButtons.push_back(button);
    }
    rating->addWidget(new QLabel("perfectly", m_ratingRow));
    rating->addStretch();
    layout->addWidget(m_ratingRow, 1);
    return page;
}

QWidget* SurveySession::buildThanksPage()
{
    auto* page = new QWidget;
    auto* layout = new QVBoxLayout(page);
    layout->addStretch();
    layout->addWidget(bigLabel("Thank you!", 30, page));
    layout->addWidget(bigLabel("All your answers are saved. You may tell the researcher that you are done.", 16, page));
    layout->addStretch();
    return page;
}

void SurveySession::startWithCode()
{
    const QString code = m_codeEdit->text().trimmed();
    if (code.isEmpty()) {
        m_codeNote->setText("Please type your participant code.");
        return;
    }
    try {
        ParticipantLock lock = ParticipantLock::acquire(m_survey.path(), code);
        const bool returning = m_survey.findParticipant(code).has_value();
        const std::uint64_t seed
            = m_fixedSeed ? *m_fixedSeed : (std::uint64_t(std::random_device{}()) << 32) ^ std::random_device{}();
        m_participant = m_survey.startParticipant(code, seed);
        m_trials = m_survey.trials(m_participant);
        int answered = 0;
        for (const auto& t : m_trials)
            answered += t.rating ? 1 : 0;
        m_instructions->setText(
            QString("%1You will see %2 coloured maps, one at a time. Each map was made by a computer to show which "
                    "parts of a photo it looked at.\n\n1. Pick the photo the map was made from, out of %3 "
                    "(click it, or press its number 1–%3).\n2. Rate how well the map explains that photo, from 0 "
                    "(not at all) to %4 (perfectly) (click, or press 0–%4).%5\n\nThere are no right or wrong ratings. "
                    "Esc pauses: your answers are saved and you can continue later with the same code.")
                .arg(returning ? QString("Welcome back: %1 of %2 maps are done.\n\n").arg(answered).arg(m_trials.size())
                               : QString())
                .arg(m_trials.size())
                .arg(m_info.poolSize)
                .arg(m_info.ratingMax)
                .arg(m_info.poolSize >= 10 || m_info.ratingMax >= 10
                        ? QString("\nFor 10 and more, type both digits (1 then 0 for 10), or type 1 and press Enter "
                                  "for 1.")
                        : QString()));
        m_lock = std::move(lock);
        // QLineEdit passes the Return that got us here on to this widget: it must not also
        // skip the instructions.
        m_swallowReturn = true;
        m_pages->setCurrentIndex(InstructionsPage);
        setFocus();
    } catch (const Error& e) {
        m_codeNote->setText(QString::fromStdString(e.userMessage()));
    } catch (const std::exception& e) {
        m_codeNote->setText(QString("The survey file cannot be used: %1").arg(e.what()));
    }
}

QString SurveySession::saveProblem() const
{
    return m_problemBox->isHidden() ? QString() : m_problem->text();
}

void SurveySession::attempt(std::function<void()> action, std::function<void()> then)
{
    try {
        action();
    } catch (const std::exception& e) {
        const auto* error = dynamic_cast<const Error*>(&e);
        const QString reason = error ? QString::fromStdString(error->userMessage()) : QString::fromUtf8(e.what());
        m_retry = std::move(action);
        m_then = std::move(then);
        m_problem->setText("The survey file cannot be written or read right now. Nothing is lost: your answer is "
                           "kept here and saved as soon as the file works again (tried every 5 seconds, or press "
                           "Try again). Please tell the researcher.\n\nReason: "
            + reason);
        m_problemBox->show();
        m_retryTimer->start();
        for (auto* button : m_poolButtons)
            button->setEnabled(false);
        for (auto* button : m_ratingButtons)
            button->setEnabled(false);
        return;
    }
    m_retry = nullptr;
    m_then = nullptr;
    m_retryTimer->stop();
    m_problemBox->hide();
    if (then)
        then();
}

void SurveySession::retryNow()
{
    if (m_retry)
        attempt(m_retry, m_then);
}

void SurveySession::beginTrials()
{
    if (m_retry)
        return; // an unsaved answer first
    attempt([this]() {
        m_current = -1;
        for (std::size_t i = 0; i < m_trials.size(); ++i)
            if (!m_trials[i].rating) {
                m_current = int(i);
                break;
            }
        if (m_current < 0) {
            m_survey.markFinished(m_participant);
            m_pages->setCurrentIndex(ThanksPage);
            Q_EMIT finished();
            return;
        }
        m_pages->setCurrentIndex(TrialPage);
        setFocus();
        showTrial();
    });
}

void SurveySession::showTrial()
{
    const Trial& trial = m_trials[std::size_t(m_current)];
    m_awaitingRating = trial.pickedImage.has_value(); // picked before a crash: continue with the rating
    m_progress->setText(QString("Map %1 of %2").arg(m_current + 1).arg(m_trials.size()));
    const QSize box = m_stimulus->size().isValid() && m_stimulus->width() > 200 ? m_stimulus->size() : QSize(640, 480);
    m_stimulus->setPixmap(pixmapFromPng(m_survey.stimulusPng(trial.stimulusId), box));
    for (std::size_t i = 0; i < m_poolButtons.size(); ++i) {
        QToolButton* button = m_poolButtons[i];
        const bool used = i < trial.pool.size();
        button->setVisible(used);
        if (!used)
            continue;
        // The same picture when disabled (during the rating): Qt's default greys it out.
        const QPixmap picture = pixmapFromPng(m_survey.imagePng(trial.pool[i]), button->iconSize());
        QIcon icon(picture);
        icon.addPixmap(picture, QIcon::Disabled);
        button->setIcon(icon);
        button->setText(QString::number(i + 1));
        button->setEnabled(!m_awaitingRating);
        const bool chosen = trial.pickedImage && *trial.pickedImage == trial.pool[i];
        button->setStyleSheet(chosen ? "QToolButton { border: 4px solid #0072b2; }" : QString());
    }
    for (auto* button : m_ratingButtons)
        button->setEnabled(m_awaitingRating);
    m_pickKeys.clear();
    m_ratingKeys.clear();
    m_typingPause->stop();
    m_taskText = m_awaitingRating
        ? QString("How well does this map explain the photo? 0 (not at all) to %1 (perfectly).").arg(m_info.ratingMax)
        : QString("Which photo was this map made from? Click it or press 1–%1.").arg(trial.pool.size());
    m_task->setText(m_taskText);
    m_clock.restart();
}

void SurveySession::typedDigit(int digit)
{
    TypedNumber& keys = m_awaitingRating ? m_ratingKeys : m_pickKeys;
    if (const auto answer = keys.digit(digit)) {
        answerTyped(answer);
    } else if (keys.pending()) {
        m_task->setText(m_taskText
            + QString("  Typed %1 — a second digit, or Enter for %1.").arg(*keys.pending()));
        m_typingPause->start();
    }
}

void SurveySession::answerTyped(std::optional<int> answer)
{
    m_typingPause->stop();
    m_task->setText(m_taskText);
    if (!answer)
        return;
    if (m_awaitingRating)
        rate(*answer);
    else
        pick(*answer - 1); // pool images are numbered from 1
}

void SurveySession::pick(int poolIndex)
{
    if (page() != TrialPage || m_awaitingRating || m_retry)
        return;
    const std::size_t index = std::size_t(m_current);
    const Trial& trial = m_trials[index];
    if (poolIndex < 0 || poolIndex >= int(trial.pool.size()))
        return;
    const int position = trial.position, image = trial.pool[std::size_t(poolIndex)];
    const qint64 milliseconds = m_clock.elapsed();
    attempt(
        [this, index, position, image, milliseconds]() {
            m_survey.recordPick(m_participant, position, image, milliseconds);
            m_trials[index].pickedImage = image;
        },
        [this]() { attempt([this]() { showTrial(); }); }); // now the rating
}

void SurveySession::rate(int rating)
{
    if (page() != TrialPage || !m_awaitingRating || m_retry || rating < 0 || rating > m_info.ratingMax)
        return;
    const std::size_t index = std::size_t(m_current);
    const int position = m_trials[index].position;
    const qint64 milliseconds = m_clock.elapsed();
    attempt(
        [this, index, position, rating, milliseconds]() {
            m_survey.recordRating(m_participant, position, rating, milliseconds);
            m_trials[index].rating = rating;
        },
        [this, position]() {
            Q_EMIT answered(position);
            advance();
        });
}

void SurveySession::advance()
{
    beginTrials(); // the next unanswered trial, or the thank-you page
}

void SurveySession::askToQuit()
{
    if (m_confirmQuit) {
        const auto answer = QMessageBox::question(this, "Pause the survey?",
            m_retry ? QString("Your last answer is NOT saved yet: the survey file cannot be written. If you quit now, "
                              "it is lost (the earlier ones are saved).\n\nQuit anyway?")
                    : QString("Your answers so far are saved. You can continue later by typing the same code.\n\n"
                              "Quit now?"));
        if (answer != QMessageBox::Yes)
            return;
    }
    close();
}

void SurveySession::keyPressEvent(QKeyEvent* event)
{
    if (event->key() == Qt::Key_Escape) {
        askToQuit();
        return;
    }
    const bool isReturn = event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter;
    if (std::exchange(m_swallowReturn, false) && isReturn)
        return;
    if (page() == InstructionsPage && (isReturn || event->key() == Qt::Key_Space)) {
        beginTrials();
        return;
    }
    if (page() == TrialPage && event->key() >= Qt::Key_0 && event->key() <= Qt::Key_9) {
        typedDigit(event->key() - Qt::Key_0);
        return;
    }
    if (page() == TrialPage && isReturn) {
        answerTyped(m_awaitingRating ? m_ratingKeys.finish() : m_pickKeys.finish());
        return;
    }
    QWidget::keyPressEvent(event);
}

} // namespace fcs
