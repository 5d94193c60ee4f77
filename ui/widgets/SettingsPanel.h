#pragma once
// The side panel: what to explain (model, method, edge detector, class) and how (share kept,
// k, Smooth Grad-CAM++ n and sigma, all nine variants), and how to show it (colormap, opacity).
// Says which changes need the engine (requestChanged) and which only a repaint (styleChanged).

#include "engine/catalog/Defaults.h"
#include "engine/catalog/EdgeCatalog.h"
#include "engine/explain/Explainer.h"
#include "engine/model/ModelCatalog.h"
#include "engine/render/Colormap.h"

#include <QWidget>

#include <optional>
#include <string>
#include <vector>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSlider;
class QSpinBox;
class QTimer;

namespace fcs {

struct ViewStyle
{
    Colormap colormap = defaults::kColormap;
    double opacity = defaults::kOpacity;
};

class SettingsPanel : public QWidget
{
    Q_OBJECT

public:
    explicit SettingsPanel(QWidget* parent = nullptr);

    // Classifiers to offer (entries with errors are listed disabled, with the reason as tooltip).
    void setModels(const std::vector<CatalogEntry>& entries, const std::string& selectedJsonPath);
    void addModel(const CatalogEntry& entry); // opened by the user; selected
    std::string modelPath() const; // the selected model's .json
    void selectModel(const std::string& jsonPath);

    std::string method() const;
    void setMethod(const std::string& methodId);
    // The edge detectors to offer after "Automatic" (the catalogue's, for the current models path).
    void setEdgeDetectors(const std::vector<EdgeDetectorInfo>& detectors);
    std::string edgeDetector() const; // "" = automatic
    // What "Automatic" turned out to be, shown in its menu entry.
    void setAutomaticEdgeDetector(const QString& id, bool fellBack);
    // What the engine needs for the explain view: the method, class, keep, k, n, sigma and the
    // Feature CAM variants (the paper's top 5, or all nine).
    ExplainSettings explainSettings() const;
    ViewStyle style() const;

    // The class to explain: unset = the top-1 prediction.
    std::optional<int> targetClass() const { return m_targetClass; }
    void setTargetClass(std::optional<int> classIndex); // does not emit
    void setLabels(const std::vector<std::string>& labels); // of the current model, for the class picker

    void loadSettings(); // QSettings
    void saveSettings() const;

    QComboBox* methodCombo() const { return m_method; }
    QComboBox* edgeCombo() const { return m_edges; }
    QLineEdit* classEdit() const { return m_classEdit; }

Q_SIGNALS:
    void requestChanged(); // the engine must run again (debounced for spin boxes)
    void styleChanged(); // repaint only
    void keepChanged(double keepPercent); // at once, before the debounced requestChanged
    void openModelRequested();

private:
    void applyTypedClass();
    void updateClassLabel();

    QComboBox* m_model;
    QPushButton* m_openModel;
    QComboBox* m_method;
    QComboBox* m_edges;
    QLineEdit* m_classEdit;
    QPushButton* m_topClass;
    QLabel* m_classNote;
    QDoubleSpinBox* m_keep;
    QDoubleSpinBox* m_k;
    QSpinBox* m_samples;
    QDoubleSpinBox* m_sigma;
    QCheckBox* m_allVariants;
    QComboBox* m_colormap;
    QSlider* m_opacity;
    QTimer* m_debounce;
    std::vector<std::string> m_labels;
    QString m_wantedEdgeDetector; // restored from the settings before the list is known
    std::optional<int> m_targetClass;
};

} // namespace fcs
