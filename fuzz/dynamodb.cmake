# SPDX-License-Identifier: Apache-2.0
# DynamoDB answers (GetItem, Query, BatchGetItem, BatchWriteItem, errors) as DynamoDbTable reads them.
# Parses each input about eight times (simdjson DOMs under ASan): ten thousand runs in the test suite.
cartflow_fuzz(dynamodb RUNS 10000 LIBS cartflow_aws cartflow_model)
