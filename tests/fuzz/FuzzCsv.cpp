// libFuzzer: any bytes as an image list (the CSV reader, then readImageSet's checks: BOM,
// header case, class indices, duplicates). fcs::Error is the expected answer to bad lists.

#include "engine/core/Error.h"
#include "engine/evaluate/ImageSet.h"
#include "engine/io/CsvTable.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    std::size_t complete = 0;
    const auto rows = fcs::parseCsv(text, &complete);
    if (complete > rows.size())
        __builtin_trap();
    for (const auto& row : rows)
        fcs::csvLine(row); // and back
    static const std::string list = [] {
        char pattern[] = "/tmp/fcs-fuzz-csv-XXXXXX";
        return std::string(mkdtemp(pattern)) + "/list.csv";
    }();
    {
        std::ofstream out(list, std::ios::binary | std::ios::trunc);
        out.write(text.data(), std::streamsize(text.size()));
    }
    try {
        const auto images = fcs::readImageSet(list);
        fcs::checkTruthClasses(images, 1000, "fuzz", list);
    } catch (const fcs::Error&) {
    }
    return 0;
}
