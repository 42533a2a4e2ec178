# SPDX-License-Identifier: Apache-2.0
cartflow_fuzz(sigv4 LIBS cartflow_aws)
