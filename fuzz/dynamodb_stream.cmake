# SPDX-License-Identifier: Apache-2.0
# DynamoDB Streams answers (DescribeStream, GetRecords, GetShardIterator) and position tokens.
cartflow_fuzz(dynamodb_stream LIBS cartflow_aws)
