# SPDX-License-Identifier: Apache-2.0
# SQS answers (JSON protocol) as SqsQueue reads them, and AWS error answers.
cartflow_fuzz(sqs LIBS cartflow_aws cartflow_model simdjson::simdjson)
