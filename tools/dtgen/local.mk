# dtgen: guest and dom0less host device trees (issue: dtgen)
