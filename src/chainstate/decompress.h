// Streaming decompression of the archive: zstd (libzstd) or gzip (zlib), told apart by their
// magic bytes rather than by the file name. Runs on its own thread between the download buffer
// and the tar extraction, so that decompressing and writing files use two cores, as
// `tar -I zstd` (a separate zstd process) does.
#ifndef STACKS_RUNNER_CHAINSTATE_DECOMPRESS_H_
#define STACKS_RUNNER_CHAINSTATE_DECOMPRESS_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "chainstate/block_pipe.h"
#include "chainstate/stream_buffer.h"

namespace sr::chainstate {

enum class Compression { kUnknown, kZstd, kGzip };

std::string_view CompressionName(Compression compression);  // "zstd", "gzip", "unknown"

// zstd frames start with 28 B5 2F FD, gzip members with 1F 8B.
Compression DetectCompression(std::string_view first_bytes);

// One decoder; Decode consumes from the front of `input` and writes at most `capacity` bytes.
class Decoder {
 public:
  virtual ~Decoder() = default;
  // False with `error` when the stream is corrupt.
  virtual bool Decode(std::string_view* input, char* out, size_t capacity, size_t* produced,
                      std::string* error) = 0;
  // True when the input so far ends at the end of a frame (zstd) or member (gzip): anything
  // else at the end of the input is a truncated stream.
  virtual bool AtBoundary() const = 0;
};

// A decoder for the compression; nothing for kUnknown.
std::unique_ptr<Decoder> MakeDecoder(Compression compression, std::string* error);

// Reads the whole compressed stream as reader `reader` of `in` and writes it decompressed to
// `out`, which it closes at the end. On a corrupt, truncated or unrecognized stream returns false
// with `error` set (the caller aborts the pipeline); also false, with no error, when aborted.
bool DecompressStream(StreamBuffer& in, int reader, BlockPipe& out, Compression* detected,
                      std::string* error);

}  // namespace sr::chainstate

#endif  // STACKS_RUNNER_CHAINSTATE_DECOMPRESS_H_
