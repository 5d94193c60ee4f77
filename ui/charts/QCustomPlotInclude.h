#pragma once
// <qcustomplot.h> uses the `signals` and `foreach` keywords, which QT_NO_KEYWORDS (needed for
// LibTorch's headers) turns off: define them for this one header.

#pragma push_macro("signals")
#pragma push_macro("foreach")
#define signals Q_SIGNALS
#define foreach Q_FOREACH
#include <qcustomplot.h>
#pragma pop_macro("foreach")
#pragma pop_macro("signals")
