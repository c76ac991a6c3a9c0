#include "chainstate/stream_buffer.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace sr::chainstate {
namespace {

// Producers fill segments out of order, in small pieces; both readers see every byte in order,
// and never more than max_segments buffers exist.
TEST(StreamBuffer, ReassemblesInOrderWithinTheMemoryBound) {
  std::string data(1 << 20, '\0');
  std::mt19937 rng(7);
  for (char& c : data) c = static_cast<char>(rng());
  StreamBuffer buffer(data.size(), 10000, 5, 2);
  std::vector<std::thread> producers;
  for (int p = 0; p < 4; ++p) {
    producers.emplace_back([&] {
      while (auto s = buffer.ClaimNext()) {
        const size_t length = s->end - s->begin;
        for (size_t done = 0; done < length;) {
          const size_t n = std::min<size_t>(777, length - done);
          std::memcpy(s->data + done, data.data() + s->begin + done, n);
          buffer.AddFilled(s->index, n);
          done += n;
        }
      }
    });
  }
  std::vector<std::string> seen(2);
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&, r] {
      for (;;) {
        auto piece = buffer.Next(r);
        ASSERT_TRUE(piece);
        if (piece->empty()) break;
        const size_t n = std::min<size_t>(piece->size(), r == 0 ? 5000 : 123456);
        seen[static_cast<size_t>(r)].append(piece->data(), n);
        buffer.Consume(r, n);
      }
    });
  }
  for (auto& t : producers) t.join();
  for (auto& t : readers) t.join();
  EXPECT_EQ(seen[0], data);
  EXPECT_EQ(seen[1], data);
  EXPECT_LE(buffer.peak_buffers(), 5u);
  EXPECT_EQ(buffer.segment_count(), 105u);
}

TEST(StreamBuffer, TheWindowHoldsProducersBackUntilReadersMoveOn) {
  StreamBuffer buffer(100, 10, 2, 1);
  auto a = buffer.ClaimNext();
  auto b = buffer.ClaimNext();
  ASSERT_TRUE(a && b);
  std::atomic<bool> claimed{false};
  std::thread third([&] {
    auto c = buffer.ClaimNext();
    claimed = c.has_value() && c->index == 2;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(claimed);
  std::memset(a->data, 'a', 10);
  buffer.AddFilled(a->index, 10);
  auto piece = buffer.Next(0);
  ASSERT_TRUE(piece);
  EXPECT_EQ(*piece, std::string(10, 'a'));
  buffer.Consume(0, 10);
  third.join();
  EXPECT_TRUE(claimed);
}

TEST(StreamBuffer, AbortWakesEveryone) {
  StreamBuffer buffer(100, 10, 1, 1);
  ASSERT_TRUE(buffer.ClaimNext());
  std::thread producer([&] { EXPECT_FALSE(buffer.ClaimNext()); });
  std::thread reader([&] { EXPECT_FALSE(buffer.Next(0)); });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  buffer.Abort();
  producer.join();
  reader.join();
}

}  // namespace
}  // namespace sr::chainstate
