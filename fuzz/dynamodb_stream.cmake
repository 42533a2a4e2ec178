# SPDX-License-Identifier: Apache-2.0
# DynamoDB Streams answers (DescribeStream, GetRecords, GetShardIterator) and position tokens.
# Parses each input five times (simdjson DOMs under ASan): ten thousand runs in the test suite.
cartflow_fuzz(dynamodb_stream RUNS 10000 LIBS cartflow_aws)
