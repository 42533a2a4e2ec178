// SPDX-License-Identifier: Apache-2.0
#include "aws/http_client.h"

#include <curl/curl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <mutex>

namespace cartflow::aws {
namespace {

using model::Error;

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
  auto* response = static_cast<HttpResponse*>(user);
  std::string_view line(data, size * n);
  if (line.rfind("HTTP/", 0) == 0) {
    response->headers.clear();  // a new response (after 100 Continue or a redirect)
    return size * n;
  }
  std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return size * n;
  std::string_view name = line.substr(0, colon);
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
    value.remove_suffix(1);
  }
  response->headers.emplace_back(std::string(name), std::string(value));
  return size * n;
}

// The request body, handed to curl by a read callback.
struct Upload {
  const std::string* body;
  std::size_t offset = 0;
};

std::size_t on_read(char* buffer, std::size_t size, std::size_t n, void* user) {
  auto* upload = static_cast<Upload*>(user);
  std::size_t len = std::min(size * n, upload->body->size() - upload->offset);
  std::memcpy(buffer, upload->body->data() + upload->offset, len);
  upload->offset += len;
  return len;
}

// curl rewinds the body only to re-send the request by itself on a fresh connection, when a
// kept-alive one died after the body went out but before any answer byte. The server may have
// applied that request: refusing fails the transfer (CURLE_SEND_FAIL_REWIND), so that the
// caller's retry strategy decides, within its attempts and quota. Nothing sent yet: no-op.
int on_seek(void* user, curl_off_t offset, int origin) {
  auto* upload = static_cast<Upload*>(user);
  if (offset == 0 && origin == SEEK_SET && upload->offset == 0) return CURL_SEEKFUNC_OK;
  return CURL_SEEKFUNC_FAIL;
}

}  // namespace

std::string HttpResponse::header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (iequals(n, name)) return v;
  }
  return {};
}

std::optional<std::string> find_ca_bundle() {
  if (const char* env = std::getenv("SSL_CERT_FILE"); env != nullptr && *env != '\0') {
    if (::access(env, R_OK) == 0) return std::string(env);
  }
  for (const char* p : {"/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt"}) {
    if (::access(p, R_OK) == 0) return std::string(p);
  }
  return std::nullopt;
}

struct HttpClient::Impl {
  HttpClientOptions options;
  std::optional<std::string> ca_file;
  CURLSH* share = nullptr;
  // One mutex per curl_lock_data kind the share object locks.
  std::mutex share_locks[CURL_LOCK_DATA_LAST];
  std::mutex pool_mutex;
  std::vector<CURL*> idle;  // GUARDED_BY(pool_mutex)
  std::atomic<std::size_t> connections{0};

  static void lock(CURL*, curl_lock_data data, curl_lock_access, void* user) {
    static_cast<Impl*>(user)->share_locks[data].lock();
  }
  static void unlock(CURL*, curl_lock_data data, void* user) {
    static_cast<Impl*>(user)->share_locks[data].unlock();
  }

  CURL* acquire() {
    {
      std::lock_guard lock(pool_mutex);
      if (!idle.empty()) {
        CURL* h = idle.back();
        idle.pop_back();
        return h;
      }
    }
    return curl_easy_init();
  }
  void release(CURL* h) {
    std::lock_guard lock(pool_mutex);
    if (idle.size() < options.max_idle_handles) {
      idle.push_back(h);
      return;
    }
    curl_easy_cleanup(h);
  }
};

HttpClient::HttpClient(HttpClientOptions options) : impl_(std::make_unique<Impl>()) {
  global_init();
  impl_->options = std::move(options);
  impl_->ca_file = impl_->options.ca_file.empty() ? find_ca_bundle()
                                                  : std::optional(impl_->options.ca_file);
  impl_->share = curl_share_init();
  curl_share_setopt(impl_->share, CURLSHOPT_LOCKFUNC, &Impl::lock);
  curl_share_setopt(impl_->share, CURLSHOPT_UNLOCKFUNC, &Impl::unlock);
  curl_share_setopt(impl_->share, CURLSHOPT_USERDATA, impl_.get());
  curl_share_setopt(impl_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
  curl_share_setopt(impl_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  curl_share_setopt(impl_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
}

HttpClient::~HttpClient() {
  for (CURL* h : impl_->idle) curl_easy_cleanup(h);
  curl_share_cleanup(impl_->share);
}

Result<HttpResponse> HttpClient::send(const HttpRequest& request) {
  CURL* h = impl_->acquire();
  if (h == nullptr) return Error::internal("curl_easy_init failed");
  curl_easy_reset(h);
  HttpResponse response;
  Upload upload{&request.body};
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(h, CURLOPT_SHARE, impl_->share);
  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(impl_->options.connect_timeout.count()));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(impl_->options.request_timeout.count()));
  curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  if (impl_->ca_file) curl_easy_setopt(h, CURLOPT_CAINFO, impl_->ca_file->c_str());
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &response);
  if (request.method == "HEAD") {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else if (request.method != "GET" || !request.body.empty()) {
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(h, CURLOPT_READFUNCTION, &on_read);
    curl_easy_setopt(h, CURLOPT_READDATA, &upload);
    curl_easy_setopt(h, CURLOPT_SEEKFUNCTION, &on_seek);
    curl_easy_setopt(h, CURLOPT_SEEKDATA, &upload);
  }
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
  bool has_content_type = false;
  for (const auto& [name, value] : request.headers) {
    if (iequals(name, "content-type")) has_content_type = true;
    std::string line = value.empty() ? name + ";" : name + ": " + value;
    headers = curl_slist_append(headers, line.c_str());
  }
  if (!has_content_type) headers = curl_slist_append(headers, "Content-Type:");
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);

  CURLcode rc = curl_easy_perform(h);
  long new_connections = 0;
  curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &new_connections);
  impl_->connections += static_cast<std::size_t>(new_connections);
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &response.status);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
  curl_slist_free_all(headers);
  impl_->release(h);

  if (rc != CURLE_OK) {
    std::string what = std::string(curl_easy_strerror(rc)) + (errbuf[0] ? std::string(": ") + errbuf : "");
    if (rc == CURLE_URL_MALFORMAT || rc == CURLE_UNSUPPORTED_PROTOCOL) {
      return Error::invalid("bad URL " + request.url + ": " + what);
    }
    if (rc == CURLE_OPERATION_TIMEDOUT) return Error::unavailable("timeout: " + what);
    if (rc == CURLE_SEND_FAIL_REWIND) {
      what = "the kept-alive connection closed after the request was sent (not re-sent here)";
    }
    return Error::unavailable("HTTP " + request.method + " " + request.url + " failed: " + what);
  }
  return response;
}

Status HttpClient::warm_up(const std::string& url) {
  // A plain GET: the connection (and TLS session) stays in the shared cache for the next call.
  // CONNECT_ONLY connections would not be reused by later transfers.
  HttpRequest request;
  request.url = url;
  auto r = send(request);
  if (!r) return std::move(r).error();
  return {};
}

std::size_t HttpClient::connections_opened() const { return impl_->connections.load(); }

}  // namespace cartflow::aws
