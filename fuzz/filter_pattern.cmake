# SPDX-License-Identifier: Apache-2.0
cartflow_fuzz(filter_pattern LIBS cartflow_events)
