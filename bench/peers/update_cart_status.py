# SPDX-License-Identifier: Apache-2.0
"""The reference's update-cart-status as plain Python 3.11 + boto3 (the benchmark's peer).

Input: an SQS event (docs/EVENTS.md section 3). Each message body is one order: a bare NewImage
in DynamoDB JSON, or a whole stream record holding it (the reference consumer's format). For
each order line, the same UpdateItem cartflow makes (docs/EVENTS.md section 4):
    PK = USER#<user_id>, SK = PRODUCT#<productId>
    SET cartProductStatus = ORDERED, order_id = <order_id>
    IF cartProductStatus = PENDING AND addedOn = <the line's addedOn>
and, when the condition fails, a GetItem to tell a redelivery from a changed or missing item
(neither is a failure). The reference set the status under attribute_exists(PK) instead; the
condition here keeps both contestants' table calls the same. Lines run one after another, as
a plain Python function does. Answers {"batchItemFailures": [...]} naming exactly the messages
that are malformed or met another table error (the reference failed the whole batch: defect 3).
Environment: TABLE_NAME, AWS_REGION, AWS_ENDPOINT_URL_DYNAMODB.
"""
import functools
import json
import os

import boto3

import peer_logging

log = functools.partial(peer_logging.log, "update-cart-status")

# Clients at init, as the reference does (once per execution environment).
TABLE_NAME = os.environ["TABLE_NAME"]
dynamodb = boto3.client("dynamodb")


def _number(value):
    """quantity as N, or as S holding a number (reference defect 2)."""
    text = value.get("N", value.get("S"))
    float(text)
    return text


def decode_order(body):
    """(order_id, user_id, status, [(product_id, added_on)]); raises on a malformed body."""
    image = json.loads(body)
    if "dynamodb" in image:
        image = image["dynamodb"]["NewImage"]
    order_id = image["order_id"]["S"]
    user_id = image["user_id"]["S"]
    status = image.get("order_status", {}).get("S", "")
    lines = []
    for item in image["order_items"]["L"]:
        line = item["M"]
        _number(line["quantity"])
        lines.append((line["productId"]["S"], line["addedOn"]["S"]))
    return order_id, user_id, status, lines


def update_line(order_id, user_id, product_id, added_on):
    """'ordered', 'already', 'skipped'; raises on any other table error."""
    key = {"PK": {"S": f"USER#{user_id}"}, "SK": {"S": f"PRODUCT#{product_id}"}}
    try:
        dynamodb.update_item(
            TableName=TABLE_NAME, Key=key,
            UpdateExpression="SET cartProductStatus = :ordered, order_id = :order",
            ConditionExpression="cartProductStatus = :pending AND addedOn = :added",
            ExpressionAttributeValues={":ordered": {"S": "ORDERED"}, ":order": {"S": order_id},
                                       ":pending": {"S": "PENDING"}, ":added": {"S": added_on}})
        return "ordered"
    except dynamodb.exceptions.ConditionalCheckFailedException:
        item = dynamodb.get_item(TableName=TABLE_NAME, Key=key, ConsistentRead=True).get("Item")
        if item and item.get("cartProductStatus", {}).get("S") == "ORDERED" \
                and item.get("order_id", {}).get("S") == order_id:
            return "already"
        log("WARNING", "cart item changed or gone since the order; left as is",
            order_id=order_id, product_id=product_id)
        return "skipped"


def handler(event, context):
    failures = []
    counts = {"ordered": 0, "already": 0, "skipped": 0}
    for message in event["Records"]:
        message_id = message["messageId"]
        try:
            order_id, user_id, status, lines = decode_order(message["body"])
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            log("ERROR", "malformed message", message_id=message_id, error=str(error))
            failures.append({"itemIdentifier": message_id})
            continue
        if status and status != "ORDERED":
            continue
        try:
            for product_id, added_on in lines:
                counts[update_line(order_id, user_id, product_id, added_on)] += 1
        except Exception as error:  # noqa: BLE001 -- retryable: SQS redelivers the message
            log("ERROR", "table error", message_id=message_id, error=str(error))
            failures.append({"itemIdentifier": message_id})
    log("INFO", "batch processed", messages=len(event["Records"]), failed=len(failures), **counts)
    return {"batchItemFailures": failures}
