// Sharded evaluations: the shard rule partitions any image list exactly once, whatever its
// order; merge joins shard folders into the rows of one run in the set's order and refuses
// every inconsistency with a message that names the shard.

#include "engine/core/Error.h"
#include "engine/evaluate/EvaluationStore.h"
#include "engine/evaluate/ShardMerge.h"
#include "engine/evaluate/Sharding.h"
#include "engine/io/AtomicFile.h"
#include "engine/io/CsvTable.h"
#include "engine/io/WholeFile.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <sstream>

using namespace fcs;

namespace {

std::vector<EvaluationImage> imageList(int count)
{
    std::vector<EvaluationImage> images;
    for (int i = 0; i < count; ++i)
        images.push_back({"/photos/" + std::to_string(i) + ".jpg", "photo_" + std::to_string(1000 - i * 7) + ".jpg",
            i % 3 == 0 ? std::optional<int>(i) : std::nullopt, i + 2, std::nullopt});
    return images;
}

EvaluationRecord row(const std::string& image, const std::string& model, const std::string& variant, double conf)
{
    EvaluationRecord r;
    r.image = image;
    r.model = model;
    r.method = "gradcam";
    r.variant = variant;
    r.convention = "hard";
    r.origTop1 = 3;
    r.origConf = 0.5;
    r.explTop1 = 3;
    r.explConf = conf;
    return r;
}

QString messageOf(const std::function<void()>& action)
{
    try {
        action();
    } catch (const Error& e) {
        return QString::fromStdString(e.userMessage());
    }
    return {};
}

// Writes what `evaluate --shard I/N` writes for a run over `images` with two classifiers and
// two rows per image × classifier; `skip` names images that could not be read.
class FakeRun
{
public:
    FakeRun(const QString& root, std::vector<EvaluationImage> images, int count)
        : m_root(root.toStdString())
        , m_images(std::move(images))
        , m_count(count)
    {
    }

    std::string writeShard(int index, QJsonObject extra = {}, bool complete = true, int dropImages = 0,
        const std::set<std::string>& skip = {}) const
    {
        const ShardSpec shard{index, m_count};
        const std::string folder
            = m_root + "/shard-" + std::to_string(index) + extra.value("tag").toString().toStdString();
        std::filesystem::create_directories(folder);
        QJsonObject run{{"methods", QJsonArray{"gradcam"}}, {"models", QJsonArray{"a", "b"}}, {"seed", "0"},
            {"shard", shardJson(shard, m_images, 2)}};
        for (auto it = extra.begin(); it != extra.end(); ++it)
            if (it.key() != "tag")
                run[it.key()] = it.value();
        writeFileAtomically(folder + "/run.json", QJsonDocument(run).toJson().toStdString());
        const auto mine = imagesOfShard(m_images, shard);
        std::string csv = csvLine(perImageHeader());
        std::vector<SkippedImage> skipped;
        for (std::size_t i = 0; i < mine.size(); ++i) {
            const std::string& name = mine[i].image.name;
            if (skip.count(name)) {
                skipped.push_back({name, "cannot be read"});
                continue;
            }
            if (i + dropImages >= mine.size())
                continue; // not done yet
            for (const char* model : {"a", "b"})
                for (const char* variant : {"base", "X1-I1"})
                    csv += perImageLine(row(name, model, variant, mine[i].position / 100.0));
        }
        writeFileAtomically(folder + "/per_image.csv", csv);
        writeShardStatus(folder, run["shard"].toObject(), mine, skipped, complete);
        return folder;
    }

    std::vector<std::string> writeAll() const
    {
        std::vector<std::string> folders;
        for (int index = m_count; index >= 1; --index) // any order of folders
            folders.push_back(writeShard(index));
        return folders;
    }

private:
    std::string m_root;
    std::vector<EvaluationImage> m_images;
    int m_count;
};

} // namespace

class TestSharding : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shardsPartitionAnyListExactlyOnce()
    {
        std::mt19937 random(7);
        for (int size : {0, 1, 2, 5, 12, 13, 64, 101}) {
            for (int count : {1, 2, 3, 7, 64, 200}) {
                auto images = imageList(size);
                std::map<std::string, int> seen;
                std::vector<std::size_t> sizes;
                for (int index = 1; index <= count; ++index) {
                    const auto mine = imagesOfShard(images, {index, count});
                    sizes.push_back(mine.size());
                    for (const auto& image : mine) {
                        ++seen[image.image.name];
                        QCOMPARE(images[std::size_t(image.position)].name, image.image.name);
                    }
                    for (std::size_t i = 1; i < mine.size(); ++i)
                        QVERIFY(mine[i - 1].position < mine[i].position); // in the set's order
                }
                QCOMPARE(int(seen.size()), size);
                for (const auto& [name, times] : seen)
                    QCOMPARE(times, 1);
                const auto [low, high] = std::minmax_element(sizes.begin(), sizes.end());
                QVERIFY(*high - *low <= 1);

                // The same names land in the same shard however the list is ordered.
                auto shuffled = images;
                std::shuffle(shuffled.begin(), shuffled.end(), random);
                for (int index = 1; index <= count; ++index) {
                    std::set<std::string> a, b;
                    for (const auto& image : imagesOfShard(images, {index, count}))
                        a.insert(image.image.name);
                    for (const auto& image : imagesOfShard(shuffled, {index, count}))
                        b.insert(image.image.name);
                    QCOMPARE(a, b);
                }
            }
        }
    }

    void theRuleIsEveryNthNameInSortedOrder()
    {
        std::vector<EvaluationImage> images;
        for (const char* name : {"d.jpg", "a.jpg", "e.jpg", "c.jpg", "b.jpg"})
            images.push_back({name, name, std::nullopt, 0, std::nullopt});
        // sorted: a b c d e → shard 1/2: a c e, shard 2/2: b d; listed in the set's order.
        std::vector<std::string> first, second;
        for (const auto& image : imagesOfShard(images, {1, 2}))
            first.push_back(image.image.name);
        for (const auto& image : imagesOfShard(images, {2, 2}))
            second.push_back(image.image.name);
        QCOMPARE(first, (std::vector<std::string>{"a.jpg", "e.jpg", "c.jpg"}));
        QCOMPARE(second, (std::vector<std::string>{"d.jpg", "b.jpg"}));
    }

    void shardSpecsAreChecked()
    {
        const ShardSpec spec = parseShardSpec("2/64");
        QCOMPARE(spec.index, 2);
        QCOMPARE(spec.count, 64);
        QCOMPARE(spec.label(), std::string("2/64"));
        for (const char* bad : {"", "3", "0/3", "4/3", "1/0", "-1/3", "a/3", "1/3x", "1/100001", "1//3"})
            QVERIFY2(messageOf([&] { parseShardSpec(bad); }).contains("--shard"), bad);
    }

    void theDigestSeesNamesTruthAndOrder()
    {
        auto images = imageList(5);
        const std::string digest = imageSetDigest(images);
        QCOMPARE(imageSetDigest(imageList(5)), digest);
        auto other = images;
        std::swap(other[0], other[1]);
        QVERIFY(imageSetDigest(other) != digest);
        other = images;
        other[2].truthClass = 999;
        QVERIFY(imageSetDigest(other) != digest);
    }

    void mergeGivesTheRowsOfOneRunInTheSetsOrder()
    {
        QTemporaryDir dir;
        const auto images = imageList(13);
        FakeRun run(dir.path(), images, 3);
        const MergedEvaluation merged = mergeShards(run.writeAll());
        QCOMPARE(merged.shardCount, 3);
        QVERIFY(!merged.run.contains("shard"));
        QCOMPARE(merged.run["models"].toArray().size(), 2);
        QCOMPARE(int(merged.records.size()), 13 * 2 * 2);
        for (std::size_t i = 0; i < merged.records.size(); ++i) {
            const auto& r = merged.records[i];
            QCOMPARE(r.image, images[i / 4].name);
            QCOMPARE(r.model, std::string(i % 4 < 2 ? "a" : "b"));
            QCOMPARE(r.variant, std::string(i % 2 == 0 ? "base" : "X1-I1"));
            QCOMPARE(r.explConf, double(i / 4) / 100.0);
        }
        QVERIFY(merged.skipped.empty());
    }

    void skippedImagesCountAsDoneAndKeepTheirOrder()
    {
        QTemporaryDir dir;
        const auto images = imageList(9);
        FakeRun run(dir.path(), images, 2);
        const std::set<std::string> skip{images[7].name, images[2].name};
        const auto merged = mergeShards({run.writeShard(1, {}, true, 0, skip), run.writeShard(2, {}, true, 0, skip)});
        QCOMPARE(int(merged.records.size()), 7 * 4);
        QCOMPARE(int(merged.skipped.size()), 2);
        QCOMPARE(merged.skipped[0].image, images[2].name);
        QCOMPARE(merged.skipped[1].image, images[7].name);
    }

    void mergeRefusesEachInconsistency()
    {
        QTemporaryDir dir;
        const auto images = imageList(10);
        FakeRun run(dir.path(), images, 3);
        const std::string one = run.writeShard(1), two = run.writeShard(2), three = run.writeShard(3);

        QString message = messageOf([&] { mergeShards({one, two}); });
        QVERIFY2(message.contains("3/3 is missing"), qPrintable(message));

        message = messageOf([&] { mergeShards({one, two, three, two}); });
        QVERIFY2(message.contains("shard 2/3 is given twice"), qPrintable(message));

        const std::string otherSeed = run.writeShard(2, {{"tag", "-seed"}, {"seed", "5"}});
        message = messageOf([&] { mergeShards({one, otherSeed, three}); });
        QVERIFY2(message.contains("shard 2/3") && message.contains("seed") && message.contains("-seed"),
            qPrintable(message));

        FakeRun otherCount(dir.path() + "/four", images, 4);
        message = messageOf([&] { mergeShards({one, two, three, otherCount.writeShard(4)}); });
        QVERIFY2(
            message.contains("not part of the same run") && message.contains("number of shards"), qPrintable(message));

        FakeRun otherSet(dir.path() + "/other", imageList(11), 3);
        message = messageOf([&] { mergeShards({one, two, otherSet.writeShard(3)}); });
        QVERIFY2(message.contains("shard 3/3") && message.contains("image set"), qPrintable(message));

        const std::string cutShort = run.writeShard(2, {{"tag", "-cut"}}, false, 2);
        message = messageOf([&] { mergeShards({one, cutShort, three}); });
        QVERIFY2(message.contains("shard 2/3") && message.contains("has not finished")
                && message.contains("2 of its 3 images are not done") && message.contains("-cut"),
            qPrintable(message));

        // A status that claims completion does not hide missing rows.
        const std::string lying = run.writeShard(2, {{"tag", "-lying"}}, true, 1);
        message = messageOf([&] { mergeShards({one, lying, three}); });
        QVERIFY2(message.contains("1 of its 3 images are not done"), qPrintable(message));

        const std::string noStatus = run.writeShard(2, {{"tag", "-killed"}});
        std::filesystem::remove(noStatus + "/" + kShardStatusFile);
        message = messageOf([&] { mergeShards({one, noStatus, three}); });
        QVERIFY2(message.contains("shard 2/3") && message.contains("no shard.json"), qPrintable(message));

        // A row of an image the shard does not own (e.g. a folder copied over another).
        const std::string stranger = run.writeShard(2, {{"tag", "-stranger"}});
        {
            std::ofstream csv(stranger + "/per_image.csv", std::ios::app);
            csv << perImageLine(row(images[0].name, "a", "base", 0));
        }
        message = messageOf([&] { mergeShards({one, stranger, three}); });
        QVERIFY2(message.contains("not one of its images"), qPrintable(message));

        std::filesystem::create_directories(dir.path().toStdString() + "/whole");
        writeFileAtomically(dir.path().toStdString() + "/whole/run.json", "{\"models\": [\"a\"]}");
        message = messageOf([&] { mergeShards({dir.path().toStdString() + "/whole"}); });
        QVERIFY2(message.contains("not a shard"), qPrintable(message));

        message = messageOf([&] { mergeShards({dir.path().toStdString() + "/nothing"}); });
        QVERIFY2(message.contains("no run.json"), qPrintable(message));

        QVERIFY(messageOf([&] { mergeShards({one, two, three}); }).isEmpty()); // the originals still merge
    }

    // Issue 25: merge trusted the rows of per_image.csv. Each tampering of one shard's file is
    // refused with the line and the reason; the untouched shards still merge.
    void mergeRefusesTamperedRows()
    {
        QTemporaryDir dir;
        FakeRun run(dir.path(), imageList(10), 3);
        const std::string one = run.writeShard(1), two = run.writeShard(2), three = run.writeShard(3);
        const auto tampered
            = [&](const std::string& tag, const std::function<void(std::vector<std::string>&)>& change) {
                  const std::string folder = run.writeShard(2, {{"tag", QString::fromStdString(tag)}});
                  std::ifstream in(folder + "/per_image.csv");
                  std::vector<std::string> lines;
                  for (std::string line; std::getline(in, line);)
                      lines.push_back(line);
                  in.close();
                  change(lines);
                  std::string text;
                  for (const auto& line : lines)
                      text += line + "\n";
                  if (tag == "-cut")
                      text.resize(text.size() - 4); // the last line ends inside its last fields
                  writeFileAtomically(folder + "/per_image.csv", text);
                  return messageOf([&] { mergeShards({one, folder, three}); });
              };
        // Field i of the first data row (image, model, method, variant, convention, truth, orig_top1,
        // orig_conf, expl_top1, expl_conf, …).
        const auto setField = [](std::vector<std::string>& lines, int field, const std::string& value) {
            std::vector<std::string> fields;
            std::stringstream row(lines[1]);
            for (std::string f; std::getline(row, f, ',');)
                fields.push_back(f);
            while (int(fields.size()) < 16)
                fields.push_back({}); // empty trailing fields
            fields[std::size_t(field)] = value;
            std::string joined;
            for (std::size_t i = 0; i < fields.size(); ++i)
                joined += (i ? "," : "") + fields[i];
            lines[1] = joined;
        };
        const std::vector<std::pair<std::string, std::function<void(std::vector<std::string>&)>>> cases = {
            {"repeats line 2", [](auto& lines) { lines.push_back(lines[1]); }},
            {"not one of the run's models", [&](auto& lines) { setField(lines, 1, "c"); }},
            {"expl_conf nan is not between 0 and 1", [&](auto& lines) { setField(lines, 9, "nan"); }},
            {"expl_conf inf is not between 0 and 1", [&](auto& lines) { setField(lines, 9, "inf"); }},
            {"orig_conf -0.5 is not between 0 and 1", [&](auto& lines) { setField(lines, 7, "-0.5"); }},
            {"expl_conf 1e300 is not between 0 and 1", [&](auto& lines) { setField(lines, 9, "1e300"); }},
            {"orig_top1 \"3.7\" is not a class index", [&](auto& lines) { setField(lines, 6, "3.7"); }},
            {"expl_top1 \"-1\" is not a class index", [&](auto& lines) { setField(lines, 8, "-1"); }},
            {"expl_top1 \"99999999999\" is not a class index", [&](auto& lines) { setField(lines, 8, "99999999999"); }},
            {"ends inside a line", [](auto&) {}},
        };
        int index = 0;
        for (const auto& [expected, change] : cases) {
            const std::string tag = expected == "ends inside a line" ? "-cut" : "-t" + std::to_string(index++);
            const QString message = tampered(tag, change);
            QVERIFY2(message.contains(QString::fromStdString(expected)) && message.contains("shard 2/3"),
                qPrintable(QString::fromStdString(expected) + " -> " + message));
        }
        QVERIFY(messageOf([&] { mergeShards({one, two, three}); }).isEmpty());

        // A pipe in a file's place blocked merge (and a resubmission's check) for ever.
        for (const std::string& file : {std::string("per_image.csv"), std::string(kShardStatusFile)}) {
            const std::string folder = run.writeShard(2, {{"tag", QString::fromStdString("-fifo-" + file)}});
            std::filesystem::remove(folder + "/" + file);
            QCOMPARE(mkfifo((folder + "/" + file).c_str(), 0600), 0);
            if (file == kShardStatusFile)
                QVERIFY(!isShardComplete(folder));
            const QString message = messageOf([&] { mergeShards({one, folder, three}); });
            QVERIFY2(message.contains("not a regular file") && message.contains(QString::fromStdString(file)),
                qPrintable(message));
        }
    }

    // Issue 25: a resubmission asked shard.json alone whether a shard had finished, so a shard
    // whose rows were lost was neither run again nor merged — "run the same command again"
    // looped. The check a resubmission makes is now the merge's own; a status that puts an
    // image outside the set, or lists more or fewer images than the rule gives, is refused too.
    void aShardIsFinishedOnlyWhenItsRowsSaySo()
    {
        QTemporaryDir dir;
        FakeRun run(dir.path(), imageList(10), 3);
        const std::string one = run.writeShard(1), three = run.writeShard(3);
        QVERIFY(isShardComplete(run.writeShard(2)));

        const std::string lying = run.writeShard(2, {{"tag", "-lying"}}, true, 1);
        QVERIFY(!isShardComplete(lying));
        QVERIFY2(QString::fromStdString(whyShardUnfinished(lying)).contains("1 of its 3 images are not done"),
            whyShardUnfinished(lying).c_str());
        QVERIFY(!isShardComplete(run.writeShard(2, {{"tag", "-killed"}}, false)));

        const auto tamperedStatus = [&](const std::string& tag, const std::function<void(QJsonArray&)>& change) {
            const std::string folder = run.writeShard(2, {{"tag", QString::fromStdString(tag)}});
            const std::string path = folder + "/" + kShardStatusFile;
            QJsonObject status = QJsonDocument::fromJson(QByteArray::fromStdString(*readWholeFile(path))).object();
            QJsonArray images = status["images"].toArray();
            change(images);
            status["images"] = images;
            writeFileAtomically(path, QJsonDocument(status).toJson().toStdString());
            return folder;
        };
        const auto moveFirst = [](int position) {
            return [position](QJsonArray& images) {
                QJsonObject first = images[0].toObject();
                first["position"] = position;
                images[0] = first;
            };
        };
        const std::vector<std::pair<std::string, std::function<void(QJsonArray&)>>> cases = {
            {"at position 10, outside the set of 10 images", moveFirst(10)},
            {"at position -1, outside the set of 10 images", moveFirst(-1)},
            {"lists 2 different images, but the rule gives this shard 3",
                [](QJsonArray& images) { images.removeLast(); }},
            {"lists 2 different images, but the rule gives this shard 3",
                [](QJsonArray& images) { images[2] = images[1]; }},
        };
        int index = 0;
        for (const auto& [expected, change] : cases) {
            const std::string folder = tamperedStatus("-s" + std::to_string(index++), change);
            const QString why = QString::fromStdString(whyShardUnfinished(folder));
            QVERIFY2(why.contains(QString::fromStdString(expected)) && why.contains("shard 2/3"), qPrintable(why));
            const QString message = messageOf([&] { mergeShards({one, folder, three}); });
            QCOMPARE(message, why);
        }

        // A shard count of 0 in run.json (a division by zero in the rule) is a tampered file.
        const std::string zero = run.writeShard(2, {{"tag", "-zero"}});
        {
            QJsonObject runJson
                = QJsonDocument::fromJson(QByteArray::fromStdString(*readWholeFile(zero + "/run.json"))).object();
            QJsonObject spec = runJson["shard"].toObject();
            spec["count"] = 0;
            runJson["shard"] = spec;
            writeFileAtomically(zero + "/run.json", QJsonDocument(runJson).toJson().toStdString());
        }
        QVERIFY2(QString::fromStdString(whyShardUnfinished(zero)).contains("is not a shard I/N"),
            whyShardUnfinished(zero).c_str());
    }
};

QTEST_GUILESS_MAIN(TestSharding)
#include "TestSharding.moc"
