#include "config/dotenv.h"

#include <cctype>

namespace sr::config {
namespace {

bool IsKeyChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
}

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

// Walks the text once; `pos` always points at the start of an unconsumed line.
class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  DotenvFile Run() {
    while (pos_ < text_.size()) ParseLine();
    return std::move(out_);
  }

 private:
  char Peek() const { return pos_ < text_.size() ? text_[pos_] : '\n'; }
  bool AtLineEnd() const {
    return pos_ >= text_.size() || text_[pos_] == '\n' || text_[pos_] == '\r';
  }
  void SkipBlanks() {
    while (pos_ < text_.size() && IsBlank(text_[pos_])) ++pos_;
  }
  // Consumes the rest of the current line including its terminator.
  void SkipLine() {
    while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
    if (pos_ < text_.size()) ++pos_;
    ++line_;
  }
  void Problem(int line, std::string message) {
    out_.problems.push_back({line, std::move(message)});
  }

  void ParseLine() {
    SkipBlanks();
    if (AtLineEnd() || Peek() == '#') {
      SkipLine();
      return;
    }
    const int key_line = line_;
    if (text_.substr(pos_).starts_with("export") && pos_ + 6 < text_.size() &&
        IsBlank(text_[pos_ + 6])) {
      pos_ += 6;
      SkipBlanks();
    }
    const size_t key_start = pos_;
    while (pos_ < text_.size() && IsKeyChar(text_[pos_])) ++pos_;
    std::string key(text_.substr(key_start, pos_ - key_start));
    SkipBlanks();
    const bool has_equals = Peek() == '=';
    const bool has_colon = Peek() == ':' && pos_ + 1 < text_.size() && IsBlank(text_[pos_ + 1]);
    if (key.empty() || (!has_equals && !has_colon)) {
      Problem(key_line, "not a KEY=VALUE assignment");
      SkipLine();
      return;
    }
    ++pos_;
    SkipBlanks();

    std::string value;
    const char quote = Peek();
    if (quote == '"' || quote == '\'' || quote == '`') {
      if (!ParseQuoted(quote, key_line, &value)) return;
    } else {
      const size_t start = pos_;
      while (!AtLineEnd() && text_[pos_] != '#') ++pos_;
      value = std::string(text_.substr(start, pos_ - start));
      while (!value.empty() && IsBlank(value.back())) value.pop_back();
    }
    out_.entries.push_back({std::move(key), std::move(value), key_line});
    SkipLine();
  }

  // Reads a quoted value starting at the opening quote; may span lines. On success the position is
  // left on the rest of the closing line, which may only hold blanks and a comment.
  bool ParseQuoted(char quote, int key_line, std::string* value) {
    size_t i = pos_ + 1;
    int lines_crossed = 0;
    for (; i < text_.size(); ++i) {
      if (text_[i] == '\\' && i + 1 < text_.size() && text_[i + 1] == quote) {
        ++i;  // an escaped quote stays in the value as written, as dotenv keeps it
        continue;
      }
      if (text_[i] == quote) break;
      if (text_[i] == '\n') ++lines_crossed;
    }
    if (i >= text_.size()) {
      Problem(key_line, quote == '"'    ? "unterminated double quote"
                        : quote == '\'' ? "unterminated single quote"
                                        : "unterminated backtick quote");
      pos_ = text_.size();
      return false;
    }
    std::string raw(text_.substr(pos_ + 1, i - pos_ - 1));
    if (quote == '"') {
      std::string expanded;
      for (size_t k = 0; k < raw.size(); ++k) {
        if (raw[k] == '\\' && k + 1 < raw.size() && (raw[k + 1] == 'n' || raw[k + 1] == 'r')) {
          expanded += raw[k + 1] == 'n' ? '\n' : '\r';
          ++k;
        } else {
          expanded += raw[k];
        }
      }
      raw = std::move(expanded);
    }
    *value = std::move(raw);
    line_ += lines_crossed;
    pos_ = i + 1;
    SkipBlanks();
    if (!AtLineEnd() && Peek() != '#') {
      Problem(line_, "unexpected text after the closing quote");
    }
    return true;
  }

  std::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;
  DotenvFile out_;
};

}  // namespace

DotenvFile ParseDotenv(std::string_view text) { return Parser(text).Run(); }

}  // namespace sr::config
