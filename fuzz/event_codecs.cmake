# SPDX-License-Identifier: Apache-2.0
cartflow_fuzz(event_codecs LIBS cartflow_events)
