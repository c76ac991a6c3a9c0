#include "chainstate/stream_buffer.h"

#include <algorithm>

namespace sr::chainstate {

StreamBuffer::StreamBuffer(uint64_t size, size_t segment_size, size_t max_segments, int readers)
    : size_(size),
      segment_size_(std::max<size_t>(segment_size, 1)),
      max_segments_(std::max<size_t>(max_segments, 1)),
      segment_count_(static_cast<size_t>((size + segment_size_ - 1) / segment_size_)),
      slots_(segment_count_),
      positions_(static_cast<size_t>(std::max(readers, 1)), 0) {}

size_t StreamBuffer::SegmentLength(size_t index) const {
  const uint64_t begin = static_cast<uint64_t>(index) * segment_size_;
  return static_cast<size_t>(std::min<uint64_t>(segment_size_, size_ - begin));
}

std::optional<StreamBuffer::Segment> StreamBuffer::ClaimNext() {
  std::unique_lock lock(mu_);
  space_.wait(lock, [&] {
    return aborted_ || next_claim_ >= segment_count_ ||
           next_claim_ < released_below_ + max_segments_;
  });
  if (aborted_ || next_claim_ >= segment_count_) return std::nullopt;
  const size_t index = next_claim_++;
  Slot& slot = slots_[index];
  if (!pool_.empty()) {
    slot.data = std::move(pool_.back());
    pool_.pop_back();
  } else {
    // Not zeroed: every byte is written before it is published.
    slot.data = std::make_unique_for_overwrite<char[]>(segment_size_);
    peak_buffers_ = std::max(peak_buffers_, ++buffers_);
  }
  const uint64_t begin = static_cast<uint64_t>(index) * segment_size_;
  return Segment{index, begin, begin + SegmentLength(index), slot.data.get()};
}

void StreamBuffer::AddFilled(size_t index, size_t bytes) {
  if (bytes == 0) return;
  {
    std::lock_guard lock(mu_);
    slots_[index].filled = std::min(slots_[index].filled + bytes, SegmentLength(index));
  }
  data_.notify_all();
}

size_t StreamBuffer::Filled(size_t index) {
  std::lock_guard lock(mu_);
  return slots_[index].filled;
}

std::optional<std::string_view> StreamBuffer::Next(int reader) {
  std::unique_lock lock(mu_);
  const uint64_t pos = positions_[static_cast<size_t>(reader)];
  if (pos >= size_) return std::string_view();
  const size_t index = static_cast<size_t>(pos / segment_size_);
  const size_t offset = static_cast<size_t>(pos - static_cast<uint64_t>(index) * segment_size_);
  Slot& slot = slots_[index];
  data_.wait(lock, [&] { return aborted_ || (slot.data && slot.filled > offset); });
  if (aborted_) return std::nullopt;
  return std::string_view(slot.data.get() + offset, slot.filled - offset);
}

void StreamBuffer::Consume(int reader, size_t bytes) {
  bool moved = false;
  {
    std::lock_guard lock(mu_);
    uint64_t& pos = positions_[static_cast<size_t>(reader)];
    pos = std::min<uint64_t>(pos + bytes, size_);
    const size_t before = released_below_;
    ReleaseLocked();
    moved = released_below_ != before;
  }
  if (moved) space_.notify_all();
}

bool StreamBuffer::Ready(int reader) {
  std::lock_guard lock(mu_);
  const uint64_t pos = positions_[static_cast<size_t>(reader)];
  if (aborted_ || pos >= size_) return true;
  const size_t index = static_cast<size_t>(pos / segment_size_);
  const Slot& slot = slots_[index];
  return slot.data && slot.filled > pos - static_cast<uint64_t>(index) * segment_size_;
}

uint64_t StreamBuffer::Position(int reader) {
  std::lock_guard lock(mu_);
  return positions_[static_cast<size_t>(reader)];
}

void StreamBuffer::ReleaseLocked() {
  const uint64_t slowest = *std::min_element(positions_.begin(), positions_.end());
  // The segment holding the slowest reader's position stays (unless it is past the end).
  const size_t keep_from =
      slowest >= size_ ? segment_count_ : static_cast<size_t>(slowest / segment_size_);
  while (released_below_ < keep_from) {
    Slot& slot = slots_[released_below_];
    if (slot.data) pool_.push_back(std::move(slot.data));
    ++released_below_;
  }
}

void StreamBuffer::Abort() {
  {
    std::lock_guard lock(mu_);
    aborted_ = true;
  }
  space_.notify_all();
  data_.notify_all();
}

bool StreamBuffer::aborted() {
  std::lock_guard lock(mu_);
  return aborted_;
}

size_t StreamBuffer::peak_buffers() {
  std::lock_guard lock(mu_);
  return peak_buffers_;
}

}  // namespace sr::chainstate
