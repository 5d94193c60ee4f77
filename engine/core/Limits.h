#pragma once
// The largest sizes any input or option may ask for, chosen so that no allowed combination
// needs more than the memory budget the README states (about 2 GB at 2 threads). Options past
// these are usage errors; images and models past them are refused with a message.

#include <cstdint>

namespace fcs::limits {

constexpr std::int64_t kMaxImagePixels = 100'000'000; // decoded, before any resize
constexpr int kMaxModelInputSide = 1024; // a sidecar's input_size
constexpr int kMaxEdgeSide = 1536; // --edge-max-side: PiDiNet's activations grow with the area (2048: 2.3 GB)
constexpr int kMaxAucSteps = 256; // deletion / insertion steps: 2 × (steps − 1) images per map
constexpr int kMaxBatch = 64; // images per forward pass
constexpr int kMaxSmoothSamples = 1000; // Smooth Grad-CAM++'s n (time, not memory, grows)
constexpr int kMaxShards = 100'000; // evaluate --shard I/N and --slurm N (Slurm's default MaxArraySize is 1001)

} // namespace fcs::limits
