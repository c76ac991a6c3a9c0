#include "chainstate/decompress.h"

#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <climits>
#include <cstring>

namespace sr::chainstate {
namespace {

class ZstdDecoder final : public Decoder {
 public:
  ZstdDecoder() : ctx_(ZSTD_createDCtx()) {}
  ~ZstdDecoder() override { ZSTD_freeDCtx(ctx_); }
  ZstdDecoder(const ZstdDecoder&) = delete;
  ZstdDecoder& operator=(const ZstdDecoder&) = delete;

  bool Decode(std::string_view* input, char* out, size_t capacity, size_t* produced,
              std::string* error) override {
    // The window stays at libzstd's default limit (2^27 = 128 MiB), as for the zstd command
    // that Hiro's instructions use (`tar -I zstd -xf`), which bounds the memory it takes.
    ZSTD_inBuffer in{input->data(), input->size(), 0};
    ZSTD_outBuffer o{out, capacity, 0};
    const size_t r = ZSTD_decompressStream(ctx_, &o, &in);
    if (ZSTD_isError(r)) {
      *error = std::string("zstd: ") + ZSTD_getErrorName(r);
      return false;
    }
    if (in.pos > 0 || o.pos > 0) at_boundary_ = (r == 0);
    input->remove_prefix(in.pos);
    *produced = o.pos;
    return true;
  }
  bool AtBoundary() const override { return at_boundary_; }

 private:
  ZSTD_DCtx* ctx_;
  bool at_boundary_ = false;
};

class GzipDecoder final : public Decoder {
 public:
  GzipDecoder() {
    std::memset(&z_, 0, sizeof z_);
    ok_ = inflateInit2(&z_, 15 + 16) == Z_OK;  // gzip wrapper only
  }
  ~GzipDecoder() override {
    if (ok_) inflateEnd(&z_);
  }
  GzipDecoder(const GzipDecoder&) = delete;
  GzipDecoder& operator=(const GzipDecoder&) = delete;

  bool Decode(std::string_view* input, char* out, size_t capacity, size_t* produced,
              std::string* error) override {
    *produced = 0;
    if (!ok_) {
      *error = "gzip: cannot initialize zlib";
      return false;
    }
    if (member_done_ && !input->empty()) {
      if (!padding_ && static_cast<unsigned char>(input->front()) == 0x1F) {
        // Concatenated members (pigz, appended archives) form one stream, as for gzip -d.
        inflateReset(&z_);
        member_done_ = false;
      } else if (input->find_first_not_of('\0') == std::string_view::npos) {
        // Zeros after the last member (a writer padding to its block size): ignored, as
        // gzip -d does.
        padding_ = true;
        input->remove_prefix(input->size());
        return true;
      } else {
        *error = "gzip: trailing garbage after the compressed stream";
        return false;
      }
    }
    const size_t in_size = std::min<size_t>(input->size(), UINT_MAX);
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input->data()));
    z_.avail_in = static_cast<uInt>(in_size);
    z_.next_out = reinterpret_cast<Bytef*>(out);
    z_.avail_out = static_cast<uInt>(std::min<size_t>(capacity, UINT_MAX));
    const int r = inflate(&z_, Z_NO_FLUSH);
    input->remove_prefix(in_size - z_.avail_in);
    *produced = static_cast<size_t>(reinterpret_cast<char*>(z_.next_out) - out);
    if (r == Z_STREAM_END) {
      member_done_ = true;
      return true;
    }
    if (r == Z_OK || r == Z_BUF_ERROR) return true;  // more input or output space needed
    *error = std::string("gzip: ") +
             (z_.msg ? z_.msg : "corrupt data (zlib error " + std::to_string(r) + ")");
    return false;
  }
  bool AtBoundary() const override { return member_done_; }

 private:
  z_stream z_;
  bool ok_ = false;
  bool member_done_ = false;
  bool padding_ = false;
};

}  // namespace

std::string_view CompressionName(Compression compression) {
  switch (compression) {
    case Compression::kZstd:
      return "zstd";
    case Compression::kGzip:
      return "gzip";
    case Compression::kUnknown:
      break;
  }
  return "unknown";
}

Compression DetectCompression(std::string_view b) {
  if (b.size() >= 4 && static_cast<unsigned char>(b[0]) == 0x28 &&
      static_cast<unsigned char>(b[1]) == 0xB5 && static_cast<unsigned char>(b[2]) == 0x2F &&
      static_cast<unsigned char>(b[3]) == 0xFD) {
    return Compression::kZstd;
  }
  if (b.size() >= 2 && static_cast<unsigned char>(b[0]) == 0x1F &&
      static_cast<unsigned char>(b[1]) == 0x8B) {
    return Compression::kGzip;
  }
  return Compression::kUnknown;
}

std::unique_ptr<Decoder> MakeDecoder(Compression compression, std::string* error) {
  switch (compression) {
    case Compression::kZstd:
      return std::make_unique<ZstdDecoder>();
    case Compression::kGzip:
      return std::make_unique<GzipDecoder>();
    case Compression::kUnknown:
      break;
  }
  *error = "the archive is neither zstd nor gzip compressed (unknown magic bytes)";
  return nullptr;
}

bool DecompressStream(StreamBuffer& in, int reader, BlockPipe& out, Compression* detected,
                      std::string* error) {
  // The magic bytes, gathered across pieces (the first piece may be short).
  char head[4];
  size_t head_size = 0;
  while (head_size < sizeof head) {
    auto piece = in.Next(reader);
    if (!piece) return false;
    if (piece->empty()) break;
    const size_t n = std::min(piece->size(), sizeof head - head_size);
    std::memcpy(head + head_size, piece->data(), n);
    head_size += n;
    in.Consume(reader, n);
  }
  const Compression compression = DetectCompression(std::string_view(head, head_size));
  if (detected) *detected = compression;
  std::unique_ptr<Decoder> decoder = MakeDecoder(compression, error);
  if (!decoder) return false;

  Block* block = out.Acquire();
  if (!block) return false;
  // Decodes all of `input`, pushing blocks as they fill; false on error or abort.
  auto feed = [&](std::string_view input) -> bool {
    for (;;) {
      const size_t before = input.size();
      size_t produced = 0;
      if (!decoder->Decode(&input, block->data.get() + block->size, block->capacity - block->size,
                           &produced, error)) {
        return false;
      }
      block->size += produced;
      if (block->size == block->capacity) {
        out.Push(block);
        block = out.Acquire();
        if (!block) return false;
        continue;  // the decoder may hold more output even with no input left
      }
      if (input.empty()) return true;
      if (produced == 0 && input.size() == before) {
        *error = std::string(CompressionName(compression)) + ": the decoder makes no progress";
        return false;
      }
    }
  };
  if (!feed(std::string_view(head, head_size))) return false;
  for (;;) {
    auto piece = in.Next(reader);
    if (!piece) return false;
    if (piece->empty()) break;
    if (!feed(*piece)) return false;
    in.Consume(reader, piece->size());
    // About to wait for the download: hand over what there is, so that extraction keeps pace
    // with a slow download instead of waiting for a full block.
    if (block->size > 0 && !in.Ready(reader)) {
      out.Push(block);
      block = out.Acquire();
      if (!block) return false;
    }
  }
  if (!decoder->AtBoundary()) {
    *error = std::string("the ") + std::string(CompressionName(compression)) +
             " stream ends in the middle of a frame: the archive is truncated";
    return false;
  }
  out.Push(block);
  out.Close();
  return true;
}

}  // namespace sr::chainstate
