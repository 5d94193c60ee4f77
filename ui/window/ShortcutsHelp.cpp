#include "ui/window/ShortcutsHelp.h"

#include <QAction>
#include <QMenu>
#include <QMenuBar>

namespace fcs {
namespace {

QString plain(QString text)
{
    return text.remove('&');
}

void addRows(const QMenu& menu, const QString& path, QString& rows)
{
    for (const QAction* action : menu.actions()) {
        const QString name = path + " ▸ " + plain(action->text());
        if (action->menu())
            addRows(*action->menu(), name, rows);
        else if (!action->shortcut().isEmpty())
            rows += "<tr><td>" + name.toHtmlEscaped() + "</td><td><b>"
                + action->shortcut().toString(QKeySequence::NativeText).toHtmlEscaped() + "</b></td></tr>";
    }
}

// The keys the views read in their keyPressEvent (LiveView, InsideView, SurveySession).
constexpr const char* kViewKeys[][2] = {
    {"Live: pause or go on", "Space"},
    {"Live: explain this frame in the Explain tab", "E"},
    {"Live: start or stop recording", "R"},
    {"Inside the Method: next step / previous step", "→ or Space / ←"},
    {"Inside the Method: next photo / previous photo of the lesson", "Page Down / Page Up"},
    {"Inside the Method: present full screen / leave it", "F11 / Esc"},
    {"Survey session: begin after the instructions", "Return or Space"},
    {"Survey session: answer by the number shown, then confirm", "0–9, Return"},
    {"Survey session: ask to quit", "Esc"},
    {"Everywhere: move between controls", "Tab / Shift+Tab"},
};

} // namespace

QString shortcutsHelp(const QMenuBar& menus)
{
    QString rows;
    for (const QAction* action : menus.actions())
        if (action->menu())
            addRows(*action->menu(), plain(action->text()), rows);
    for (const auto& [what, keys] : kViewKeys)
        rows += QString("<tr><td>%1</td><td><b>%2</b></td></tr>").arg(QString(what).toHtmlEscaped(), keys);
    return "<table cellspacing=\"4\">" + rows + "</table>";
}

} // namespace fcs
