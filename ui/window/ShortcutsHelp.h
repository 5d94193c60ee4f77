#pragma once
// Help ▸ Keyboard Shortcuts (issue 28): every key of the window in one table, the menus' read
// from their actions (so the list cannot drift from them) and the views' own keys beside them.

#include <QString>

class QMenuBar;

namespace fcs {

// Rich text: a row per menu command with a shortcut ("File ▸ Open Model…", "Ctrl+M"), then the
// keys the live view, the inside view and a survey session take.
QString shortcutsHelp(const QMenuBar& menus);

} // namespace fcs
