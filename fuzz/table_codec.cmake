# SPDX-License-Identifier: Apache-2.0
# Stored items as arbitrary bytes: decode, and re-encode what decodes.
cartflow_fuzz(table_codec LIBS cartflow_embedded)
