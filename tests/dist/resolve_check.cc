// stacks-runner-resolve-check [--no-pin] NAME...
//
// For the dist tests: proves that the statically linked build resolves host names the way the
// node binary does, on a system whose glibc is not the one it was built with. Serves HTTP on
// 127.0.0.1 (an ephemeral port) from a thread of its own, then GETs http://NAME:PORT/ for each
// NAME through sr::http::BeastHttpClient (Asio's resolver: getaddrinfo, so glibc's NSS) and
// prints one line per name; exits 1 if any request failed. It also looks up uid 0 (the passwd
// database of the same NSS). Like main(), it first pins NSS to glibc's built-in modules
// (util/name_services.h); --no-pin skips that, the negative control of the tests.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <thread>
#include <variant>

#include "http/beast_http_client.h"
#include "http/url.h"
#include "util/name_services.h"

namespace {

constexpr std::string_view kBody = "stacks-runner resolve check\n";

// Answers every connection with kBody, until the listening socket is shut down.
void Serve(int listener) {
  const std::string response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " +
                               std::to_string(kBody.size()) + "\r\nConnection: close\r\n\r\n" +
                               std::string(kBody);
  for (;;) {
    const int fd = ::accept(listener, nullptr, nullptr);
    if (fd < 0) return;
    // Read the request head (the client sends no body), then answer and close.
    std::string request;
    char buffer[4096];
    while (request.find("\r\n\r\n") == std::string::npos) {
      const ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n <= 0) break;
      request.append(buffer, static_cast<size_t>(n));
    }
    size_t sent = 0;
    while (sent < response.size()) {
      const ssize_t n = ::write(fd, response.data() + sent, response.size() - sent);
      if (n <= 0) break;
      sent += static_cast<size_t>(n);
    }
    ::close(fd);
  }
}

}  // namespace

int main(int argc, char** argv) {
  int first = 1;
  if (argc > 1 && std::string_view(argv[1]) == "--no-pin") {
    first = 2;
  } else {
    sr::util::PinNameServicesToBuiltins();
  }
  if (first >= argc) {
    std::fprintf(stderr, "usage: %s [--no-pin] NAME...\n", argv[0]);
    return 2;
  }

  const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (listener < 0 ||
      ::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listener, 16) != 0 ||
      ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    std::perror("resolve-check: cannot listen on 127.0.0.1");
    return 1;
  }
  const int port = ntohs(address.sin_port);
  std::thread server(Serve, listener);

  int failures = 0;
  {
    sr::http::ClientOptions options;
    options.connect_timeout = std::chrono::seconds(5);
    sr::http::BeastHttpClient client(options);
    for (int i = first; i < argc; ++i) {
      const std::string name = argv[i];
      std::string error;
      const auto url = sr::http::ParseUrl("http://" + name + ":" + std::to_string(port), &error);
      if (!url) {
        std::printf("%s: bad host name: %s\n", name.c_str(), error.c_str());
        ++failures;
        continue;
      }
      sr::aws::HttpRequest request;
      request.method = "GET";
      request.path = "/resolve-check";
      sr::http::RequestOptions request_options;
      request_options.timeout = std::chrono::seconds(10);
      const sr::http::SendResult result = client.Send(*url, request, request_options);
      if (const auto* response = std::get_if<sr::http::HttpResponse>(&result)) {
        const bool ok = response->status == 200 && response->body == kBody;
        std::printf("%s: HTTP %d from 127.0.0.1:%d%s\n", name.c_str(), response->status, port,
                    ok ? "" : " (unexpected response)");
        if (!ok) ++failures;
      } else {
        const auto& transport = std::get<sr::http::TransportError>(result);
        std::printf("%s: %s: %s\n", name.c_str(),
                    std::string(sr::http::TransportErrorKindName(transport.kind)).c_str(),
                    transport.message.c_str());
        ++failures;
      }
    }
  }
  ::shutdown(listener, SHUT_RDWR);  // ends accept() in the server thread
  server.join();
  ::close(listener);

  const passwd* root = ::getpwuid(0);
  std::printf("uid 0: %s\n", root ? root->pw_name : "not found");
  if (!root) ++failures;
  std::fflush(stdout);
  return failures == 0 ? 0 : 1;
}
