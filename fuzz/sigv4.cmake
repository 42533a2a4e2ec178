# SPDX-License-Identifier: Apache-2.0
# Signs every input five times (OpenSSL HMACs under ASan): a few thousand runs in the test suite.
cartflow_fuzz(sigv4 RUNS 3000 LIBS cartflow_aws cartflow_util)
