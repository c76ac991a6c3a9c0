// A bounded queue of byte blocks from one writer to one reader: the decompressed tar stream,
// from the decompressing thread to the extracting one. A fixed set of blocks goes round (the
// writer fills a free block and pushes it, the reader pops it and hands it back), so the memory
// is blocks * block_size whatever the archive.
//
// Thread-safe for one writer and one reader. Abort() wakes both and ends the stream.
#ifndef STACKS_RUNNER_CHAINSTATE_BLOCK_PIPE_H_
#define STACKS_RUNNER_CHAINSTATE_BLOCK_PIPE_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

namespace sr::chainstate {

struct Block {
  std::unique_ptr<char[]> data;
  size_t capacity = 0;
  size_t size = 0;  // bytes filled
};

class BlockPipe {
 public:
  BlockPipe(size_t block_size, size_t blocks);
  BlockPipe(const BlockPipe&) = delete;
  BlockPipe& operator=(const BlockPipe&) = delete;

  // Writer: an empty block to fill (waiting for one); nullptr once aborted.
  Block* Acquire();
  // Writer: queues a filled block (an empty one is handed back instead).
  void Push(Block* block);
  // Writer: no more blocks.
  void Close();

  // Reader: the next filled block (waiting for one); nullptr at the end or once aborted.
  Block* Pop();
  // Reader: hands a popped block back.
  void Release(Block* block);

  void Abort();
  bool aborted();

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  std::vector<std::unique_ptr<Block>> blocks_;
  std::vector<Block*> free_;
  std::deque<Block*> full_;
  bool closed_ = false;
  bool aborted_ = false;
};

}  // namespace sr::chainstate

#endif  // STACKS_RUNNER_CHAINSTATE_BLOCK_PIPE_H_
