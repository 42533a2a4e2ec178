# SPDX-License-Identifier: Apache-2.0
"""The reference's process-cart-products as plain Python 3.11 + boto3 (the benchmark's peer).

Input: a DynamoDB stream event (docs/EVENTS.md section 1). For each INSERT record whose NewImage
is an order (order_status S "ORDERED", a non-empty S order_id), sends the NewImage unchanged
(DynamoDB JSON, compact) as one message with the message attribute order_id, with
SendMessageBatch in groups of 10 (the reference sent one SendMessage per record: defect 9).
Answers {"batchItemFailures": [...]}: the SequenceNumber of the first record not fully sent.
Environment: UPDATE_CART_PRODUCT_SQS (the queue URL), AWS_REGION, AWS_ENDPOINT_URL_SQS.
"""
import functools
import json
import os

import boto3

import peer_logging

log = functools.partial(peer_logging.log, "process-cart-products")

# Clients at init, as the reference does (once per execution environment).
QUEUE_URL = os.environ["UPDATE_CART_PRODUCT_SQS"]
sqs = boto3.client("sqs")


def _order_entry(index, record):
    """The SendMessageBatch entry for one record, or None when the record is not announced."""
    if record.get("eventName") != "INSERT":
        return None
    image = (record.get("dynamodb") or {}).get("NewImage")
    if not isinstance(image, dict):
        return None
    status = (image.get("order_status") or {}).get("S")
    order_id = (image.get("order_id") or {}).get("S")
    if status != "ORDERED" or not order_id:
        return None
    return {
        "Id": f"r{index}",
        "MessageBody": json.dumps(image, separators=(",", ":")),
        "MessageAttributes": {"order_id": {"DataType": "String", "StringValue": order_id}},
    }


def handler(event, context):
    records = event["Records"]
    pending = []  # (sequence number, entry)
    for index, record in enumerate(records):
        entry = _order_entry(index, record)
        if entry is not None:
            pending.append((record["dynamodb"]["SequenceNumber"], entry))
    sent = 0
    for start in range(0, len(pending), 10):
        group = pending[start:start + 10]
        try:
            answer = sqs.send_message_batch(QueueUrl=QUEUE_URL, Entries=[e for _, e in group])
            failed = {f["Id"] for f in answer.get("Failed", [])}
        except Exception as error:  # noqa: BLE001 -- any failure of the call fails the group
            log("ERROR", "SendMessageBatch failed", error=str(error))
            failed = {e["Id"] for _, e in group}
        for sequence, entry in group:
            if entry["Id"] in failed:
                log("INFO", "batch processed", records=len(records), orders_sent=sent)
                return {"batchItemFailures": [{"itemIdentifier": sequence}]}
            sent += 1
    log("INFO", "batch processed", records=len(records), orders_sent=sent)
    return {"batchItemFailures": []}
