# SPDX-License-Identifier: Apache-2.0
cartflow_fuzz(dynamo_json LIBS cartflow_model)
