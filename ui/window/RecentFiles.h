#pragma once
// The File ▸ Open Recent menu: the last images opened, kept in QSettings across sessions.

#include <QObject>
#include <QString>

class QMenu;

namespace fcs {

class RecentFiles : public QObject
{
    Q_OBJECT

public:
    RecentFiles(QMenu* menu, QObject* parent = nullptr); // fills the menu now
    void add(const QString& path); // first in the list; the oldest beyond the limit is dropped

Q_SIGNALS:
    void openRequested(const QString& path);

private:
    void refresh();

    QMenu* m_menu;
};

} // namespace fcs
