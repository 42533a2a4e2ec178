// SPDX-License-Identifier: Apache-2.0
#include "platform/stream_mapping_checkpoint.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace cartflow::platform {

using model::Error;
using model::Result;
using model::Status;

Result<std::optional<ports::StreamPosition>> MemoryCheckpointStore::load(
    const std::string& mapping_id) {
  std::lock_guard lock(mutex_);
  auto it = positions_.find(mapping_id);
  if (it == positions_.end()) return std::optional<ports::StreamPosition>();
  return std::optional<ports::StreamPosition>(it->second);
}

Status MemoryCheckpointStore::save(const std::string& mapping_id,
                                   const ports::StreamPosition& position) {
  std::lock_guard lock(mutex_);
  positions_[mapping_id] = position;
  ++saves_;
  return {};
}

int MemoryCheckpointStore::saves() const {
  std::lock_guard lock(mutex_);
  return saves_;
}

std::string FileCheckpointStore::path_of(const std::string& mapping_id) const {
  std::string safe;
  for (char c : mapping_id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    safe += ok ? c : '_';
  }
  return directory_ + "/" + safe + ".checkpoint";
}

Result<std::optional<ports::StreamPosition>> FileCheckpointStore::load(
    const std::string& mapping_id) {
  std::ifstream in(path_of(mapping_id), std::ios::binary);
  if (!in) return std::optional<ports::StreamPosition>();
  std::stringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Error::unavailable("cannot read checkpoint of " + mapping_id);
  return std::optional<ports::StreamPosition>(ports::StreamPosition{ss.str()});
}

namespace {

Status write_all_and_sync(const std::string& path, const std::string& data) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Error::unavailable("cannot create " + path + ": " + std::strerror(errno));
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const std::string why = std::strerror(errno);
      ::close(fd);
      return Error::unavailable("cannot write " + path + ": " + why);
    }
    done += static_cast<std::size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) return Error::unavailable("cannot sync " + path);
  return {};
}

}  // namespace

Status FileCheckpointStore::save(const std::string& mapping_id,
                                 const ports::StreamPosition& position) {
  std::lock_guard lock(mutex_);
  const std::string path = path_of(mapping_id);
  const std::string tmp = path + ".tmp";
  if (auto s = write_all_and_sync(tmp, position.token); !s) return s;
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    return Error::unavailable("cannot rename " + tmp + ": " + std::strerror(errno));
  }
  const int dir = ::open(directory_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return {};
}

}  // namespace cartflow::platform
