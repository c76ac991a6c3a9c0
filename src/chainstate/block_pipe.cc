#include "chainstate/block_pipe.h"

namespace sr::chainstate {

BlockPipe::BlockPipe(size_t block_size, size_t blocks) {
  for (size_t i = 0; i < (blocks == 0 ? 1 : blocks); ++i) {
    auto block = std::make_unique<Block>();
    block->data = std::make_unique_for_overwrite<char[]>(block_size);
    block->capacity = block_size;
    free_.push_back(block.get());
    blocks_.push_back(std::move(block));
  }
}

Block* BlockPipe::Acquire() {
  std::unique_lock lock(mu_);
  changed_.wait(lock, [&] { return aborted_ || !free_.empty(); });
  if (aborted_) return nullptr;
  Block* block = free_.back();
  free_.pop_back();
  block->size = 0;
  return block;
}

void BlockPipe::Push(Block* block) {
  {
    std::lock_guard lock(mu_);
    if (block->size == 0) {
      free_.push_back(block);
    } else {
      full_.push_back(block);
    }
  }
  changed_.notify_all();
}

void BlockPipe::Close() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  changed_.notify_all();
}

Block* BlockPipe::Pop() {
  std::unique_lock lock(mu_);
  changed_.wait(lock, [&] { return aborted_ || closed_ || !full_.empty(); });
  if (aborted_ || full_.empty()) return nullptr;
  Block* block = full_.front();
  full_.pop_front();
  return block;
}

void BlockPipe::Release(Block* block) {
  {
    std::lock_guard lock(mu_);
    free_.push_back(block);
  }
  changed_.notify_all();
}

void BlockPipe::Abort() {
  {
    std::lock_guard lock(mu_);
    aborted_ = true;
  }
  changed_.notify_all();
}

bool BlockPipe::aborted() {
  std::lock_guard lock(mu_);
  return aborted_;
}

}  // namespace sr::chainstate
