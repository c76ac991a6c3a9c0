// The bounded, in-order reassembly buffer between the parallel range downloads and the readers
// of the archive stream (the hasher and the decompressor).
//
// The archive [0, size) is cut into segments of segment_size bytes. Downloaders claim segments in
// order and fill them (each from its own connection, so several fill at once); readers walk the
// bytes in order, each at its own pace, reading a segment as far as it is filled without waiting
// for it to be complete. A segment's memory is handed back once every reader is past it, and no
// segment beyond the window of max_segments from the oldest unread one is claimed until then: at
// most max_segments * segment_size bytes of archive are held, whatever its size. Buffers are
// reused rather than freed, so the pages stay mapped.
//
// Thread-safe. Any thread may Abort(): every wait returns, and nothing more is claimed or read.
#ifndef STACKS_RUNNER_CHAINSTATE_STREAM_BUFFER_H_
#define STACKS_RUNNER_CHAINSTATE_STREAM_BUFFER_H_

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <vector>

namespace sr::chainstate {

class StreamBuffer {
 public:
  StreamBuffer(uint64_t size, size_t segment_size, size_t max_segments, int readers);
  StreamBuffer(const StreamBuffer&) = delete;
  StreamBuffer& operator=(const StreamBuffer&) = delete;

  uint64_t size() const { return size_; }
  size_t segment_count() const { return segment_count_; }

  // A claimed segment: the bytes [begin, end) of the archive go to data[0, end - begin).
  struct Segment {
    size_t index = 0;
    uint64_t begin = 0;
    uint64_t end = 0;
    char* data = nullptr;
  };

  // Producers. Claims the next unclaimed segment, waiting while it lies beyond the window;
  // nothing once every segment is claimed or the buffer is aborted.
  std::optional<Segment> ClaimNext();
  // Publishes `bytes` more bytes of segment `index`, written after those published before.
  void AddFilled(size_t index, size_t bytes);
  // How many bytes of a claimed segment are published.
  size_t Filled(size_t index);

  // Readers (0 <= reader < readers). The bytes at the reader's position that are there, within
  // one segment, waiting until some are; empty at the end; nothing when aborted. The view stays
  // valid until the reader consumes it.
  std::optional<std::string_view> Next(int reader);
  void Consume(int reader, size_t bytes);
  // Whether Next(reader) would return at once (bytes, the end, or an abort).
  bool Ready(int reader);
  uint64_t Position(int reader);

  void Abort();
  bool aborted();

  // The most segment buffers that existed at once (tests check the memory bound with it).
  size_t peak_buffers();

 private:
  struct Slot {
    std::unique_ptr<char[]> data;
    size_t filled = 0;
  };
  size_t SegmentLength(size_t index) const;
  void ReleaseLocked();  // frees the segments every reader is past

  const uint64_t size_;
  const size_t segment_size_;
  const size_t max_segments_;
  const size_t segment_count_;

  std::mutex mu_;
  std::condition_variable space_;  // producers wait for the window to move
  std::condition_variable data_;   // readers wait for bytes
  bool aborted_ = false;
  size_t next_claim_ = 0;
  size_t released_below_ = 0;  // segments below this one are handed back
  std::vector<Slot> slots_;    // one per segment (the metadata only)
  std::vector<uint64_t> positions_;
  std::vector<std::unique_ptr<char[]>> pool_;
  size_t buffers_ = 0;
  size_t peak_buffers_ = 0;
};

}  // namespace sr::chainstate

#endif  // STACKS_RUNNER_CHAINSTATE_STREAM_BUFFER_H_
