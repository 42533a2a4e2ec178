// SPDX-License-Identifier: Apache-2.0
#include "embedded/wal_gather_vfs.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <mutex>
#include <string>

namespace cartflow::embedded {

namespace {

constexpr const char* kName = "cartflow-wal-gather";
// A run longer than this is written out and a new one started: bounds the memory a large
// transaction holds, while a group commit (tens of pages) stays one write.
constexpr std::size_t kMaxRun = std::size_t{4} << 20;

sqlite3_vfs* g_root = nullptr;  // the default VFS, which does the real work
sqlite3_vfs g_vfs;              // ours: a copy of the default's with xOpen replaced

// A WAL file: ours in front, the default VFS's file right after it (`real`).
struct GatherFile {
  sqlite3_file base;
  sqlite3_file* real;
  std::string* run;          // gathered bytes, not yet written
  sqlite3_int64 run_offset;  // the file offset of run[0]
};

constexpr std::size_t kRealOffset = (sizeof(GatherFile) + 15) & ~std::size_t{15};

GatherFile& gather(sqlite3_file* file) { return *reinterpret_cast<GatherFile*>(file); }

// The default (unix) VFS writes at most 128 KiB - 1 bytes per call (it reports SQLITE_FULL for
// a larger one), so a run goes out in pieces of at most this size.
constexpr std::size_t kMaxWrite = 0x1ffff;

// Writes the gathered run to the file. The run is dropped either way: SQLite treats a failed
// write as failing the transaction, and rewrites what it needs.
int write_run(GatherFile& f) {
  int rc = SQLITE_OK;
  for (std::size_t done = 0; done < f.run->size() && rc == SQLITE_OK;) {
    std::size_t piece = std::min(kMaxWrite, f.run->size() - done);
    rc = f.real->pMethods->xWrite(f.real, f.run->data() + done, static_cast<int>(piece),
                                  f.run_offset + static_cast<sqlite3_int64>(done));
    done += piece;
  }
  f.run->clear();
  return rc;
}

int gather_close(sqlite3_file* file) {
  GatherFile& f = gather(file);
  int rc = write_run(f);
  int close_rc = f.real->pMethods != nullptr ? f.real->pMethods->xClose(f.real) : SQLITE_OK;
  delete f.run;
  f.run = nullptr;
  return rc != SQLITE_OK ? rc : close_rc;
}

int gather_read(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
  GatherFile& f = gather(file);
  if (int rc = write_run(f); rc != SQLITE_OK) return rc;
  return f.real->pMethods->xRead(f.real, out, amount, offset);
}

int gather_write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  GatherFile& f = gather(file);
  const auto size = static_cast<std::size_t>(amount);
  bool extends_run = !f.run->empty() &&
                     offset == f.run_offset + static_cast<sqlite3_int64>(f.run->size()) &&
                     f.run->size() + size <= kMaxRun;
  if (!extends_run) {
    if (int rc = write_run(f); rc != SQLITE_OK) return rc;
    if (size > kMaxWrite) return f.real->pMethods->xWrite(f.real, data, amount, offset);
    f.run_offset = offset;
  }
  f.run->append(static_cast<const char*>(data), size);
  return SQLITE_OK;
}

int gather_truncate(sqlite3_file* file, sqlite3_int64 size) {
  GatherFile& f = gather(file);
  if (int rc = write_run(f); rc != SQLITE_OK) return rc;
  return f.real->pMethods->xTruncate(f.real, size);
}

// SQLITE_SYNC_NORMAL is the COMMIT's sync (synchronous=FULL): the bytes go to the file and
// WalSync makes them durable. SQLITE_SYNC_FULL (checkpoint_fullfsync) is a real sync.
int gather_sync(sqlite3_file* file, int flags) {
  GatherFile& f = gather(file);
  if (int rc = write_run(f); rc != SQLITE_OK) return rc;
  if ((flags & 0x0F) != SQLITE_SYNC_FULL) return SQLITE_OK;
  return f.real->pMethods->xSync(f.real, flags);
}

int gather_file_size(sqlite3_file* file, sqlite3_int64* size) {
  GatherFile& f = gather(file);
  if (int rc = write_run(f); rc != SQLITE_OK) return rc;
  return f.real->pMethods->xFileSize(f.real, size);
}

int gather_lock(sqlite3_file* file, int level) {
  GatherFile& f = gather(file);
  return f.real->pMethods->xLock(f.real, level);
}

int gather_unlock(sqlite3_file* file, int level) {
  GatherFile& f = gather(file);
  return f.real->pMethods->xUnlock(f.real, level);
}

int gather_check_reserved_lock(sqlite3_file* file, int* out) {
  GatherFile& f = gather(file);
  return f.real->pMethods->xCheckReservedLock(f.real, out);
}

int gather_file_control(sqlite3_file* file, int op, void* arg) {
  GatherFile& f = gather(file);
  if (int rc = write_run(f); rc != SQLITE_OK) return rc;
  return f.real->pMethods->xFileControl(f.real, op, arg);
}

int gather_sector_size(sqlite3_file* file) {
  GatherFile& f = gather(file);
  return f.real->pMethods->xSectorSize(f.real);
}

int gather_device_characteristics(sqlite3_file* file) {
  GatherFile& f = gather(file);
  return f.real->pMethods->xDeviceCharacteristics(f.real);
}

// Version 1: a WAL file has no shared memory and is never memory-mapped (both belong to the
// database file).
const sqlite3_io_methods kGatherMethods = {
    1,
    gather_close,
    gather_read,
    gather_write,
    gather_truncate,
    gather_sync,
    gather_file_size,
    gather_lock,
    gather_unlock,
    gather_check_reserved_lock,
    gather_file_control,
    gather_sector_size,
    gather_device_characteristics,
    nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
};

int gather_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags,
                int* out_flags) {
  if ((flags & SQLITE_OPEN_WAL) == 0) return g_root->xOpen(g_root, name, file, flags, out_flags);
  GatherFile& f = gather(file);
  f.base.pMethods = nullptr;  // until the real file is open: SQLite then does not call xClose
  f.real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + kRealOffset);
  f.real->pMethods = nullptr;
  int rc = g_root->xOpen(g_root, name, f.real, flags, out_flags);
  if (rc != SQLITE_OK) {
    if (f.real->pMethods != nullptr) f.real->pMethods->xClose(f.real);
    return rc;
  }
  f.run = new std::string();
  f.run_offset = 0;
  f.base.pMethods = &kGatherMethods;
  return SQLITE_OK;
}

void register_vfs() {
  g_root = sqlite3_vfs_find(nullptr);
  g_vfs = *g_root;  // every other method (delete, access, time, ...) is the default's
  g_vfs.pNext = nullptr;
  g_vfs.zName = kName;
  g_vfs.szOsFile = static_cast<int>(kRealOffset) + g_root->szOsFile;
  g_vfs.xOpen = gather_open;
  sqlite3_vfs_register(&g_vfs, 0);
}

}  // namespace

const char* wal_gather_vfs_name() {
  static std::once_flag once;
  std::call_once(once, register_vfs);
  return kName;
}

}  // namespace cartflow::embedded
