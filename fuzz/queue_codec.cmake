# SPDX-License-Identifier: Apache-2.0
# The embedded queue's receipt handles and stored message attributes.
cartflow_fuzz(queue_codec LIBS cartflow_embedded)
