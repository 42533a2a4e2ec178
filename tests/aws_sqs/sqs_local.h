// SPDX-License-Identifier: Apache-2.0
#pragma once

// SqsLocal: starts an SQS emulator on 127.0.0.1 with a free port -- local-aws-sqs (pinned in
// tests/peers, through sqs_server.mjs) or moto_server -- waits until it answers ListQueues, and
// kills it by pid when destroyed (an AwsPeer). Its JsonClient signs as service "sqs" with test credentials.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "aws/sqs_queue.h"
#include "aws_peer.h"

namespace cartflow::aws::testing {

enum class SqsPeer { kLocalAwsSqs, kMoto };

class SqsLocal : public AwsPeer {
 public:
  explicit SqsLocal(SqsPeer peer) {
    std::vector<std::string> argv = {
        "node", std::string(CARTFLOW_SOURCE_DIR) + "/tests/aws_sqs/sqs_server.mjs", port()};
    if (peer == SqsPeer::kMoto) argv = {"moto_server", "-H", "127.0.0.1", "-p", port()};
    start(argv, {"/dev/null", "/dev/null"}, "sqs", sqs_protocol(), "ListQueues",
          "the SQS emulator");
  }
};

}  // namespace cartflow::aws::testing
