#include "engine/explain/MethodAnatomy.h"

#include "engine/catalog/MethodCatalog.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace fcs {

std::vector<int> MethodAnatomy::channelsByWeight() const
{
    std::vector<int> order(weights.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [this](int a, int b) { return weights[a] > weights[b]; });
    return order;
}

std::vector<int> MethodAnatomy::strongestChannels(int count) const
{
    std::vector<double> share(weights.size());
    for (std::size_t k = 0; k < weights.size(); ++k)
        share[k] = std::abs(weights[k]) * cv::mean(cv::abs(activations[k]))[0];
    std::vector<int> order(weights.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&share](int a, int b) { return share[a] > share[b]; });
    order.resize(std::min<std::size_t>(order.size(), std::size_t(std::max(0, count))));
    return order;
}

bool canDissect(const std::string& methodId)
{
    const MethodInfo* method = findMethod(methodId);
    return method && method->canBeTakenApart();
}

} // namespace fcs
