# SPDX-License-Identifier: Apache-2.0
cartflow_fuzz(expression LIBS cartflow_model)
