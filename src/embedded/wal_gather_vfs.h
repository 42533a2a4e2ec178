// SPDX-License-Identifier: Apache-2.0
#pragma once

// The writer's VFS: the default one, except that writes to a WAL file are gathered in memory and
// reach the file as one pwrite() per run of contiguous writes (of at most 128 KiB: the default
// VFS's largest write).
//
// Why: SQLite writes each WAL frame as two pwrite() calls (24-byte header, then the page), so a
// group commit of 30 pages cost 60 system calls. Gathered, it costs one.
//
// Contract (what makes it safe):
//   - Gathered bytes reach the file before anything could observe the file: before every read,
//     size, truncate, file-control or close of that WAL file, and at every xSync. Readers on other
//     connections learn of frames from the wal-index, which SQLite updates only after the
//     commit's xSync; so they never look for bytes that are still in memory.
//   - The writer runs with synchronous=FULL, so SQLite calls xSync on the WAL at every COMMIT, with
//     SQLITE_SYNC_NORMAL: here that only writes the gathered bytes out (no fsync). WalSync
//     (wal_sync.h) then makes them durable with fdatasync on its own descriptor, as before.
//     checkpoint_fullfsync=ON makes every other WAL sync (before a checkpoint copies frames, the
//     header of a new WAL) SQLITE_SYNC_FULL: those are passed on to the default VFS and fsync.
//   - A write that does not extend the gathered run (a different offset) first writes the run
//     out, so the file sees the same writes in the same order, only fewer of them.
//   - An error from the delayed write is returned by the call that performed it (a later write,
//     the sync of the COMMIT, ...), so SQLite sees the failure before COMMIT returns.
// Only files opened as WAL by connections that name this VFS are wrapped; every other file is
// the default VFS's own.

namespace cartflow::embedded {

// Registers the VFS (once per process; thread-safe) and returns its name for sqlite3_open_v2.
const char* wal_gather_vfs_name();

}  // namespace cartflow::embedded
