#pragma once
// Where an evaluation's time went, summed over the images this run evaluated (seconds), for the
// breakdown `evaluate` prints at the end. Never stored: the results hold no time, so that shards
// merge into the same bytes as one run. Torch-free.

#include <map>
#include <string>

namespace fcs {

struct EvaluationTimes
{
    int images = 0; // evaluated in this run (resumed ones not counted)
    double loading = 0; // reading and decoding the images
    double edges = 0; // the edge maps of Feature CAM (once per image)
    double gradientPass = 0; // features() + the head's backward, once per image and classifier
    std::map<std::string, double> methods; // each method's own work (Smooth Grad-CAM++: its noisy copies)
    double variants = 0; // masks, Feature CAM variants, baselines and explanation images
    double reclassification = 0; // the explanation maps (and curve steps) through the classifier

    void add(const EvaluationTimes& other) // another lane's times
    {
        images += other.images;
        loading += other.loading;
        edges += other.edges;
        gradientPass += other.gradientPass;
        for (const auto& [id, seconds] : other.methods)
            methods[id] += seconds;
        variants += other.variants;
        reclassification += other.reclassification;
    }
};

} // namespace fcs
