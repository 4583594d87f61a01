"""roicli: KPI and ROI toolkit for training and mentoring programmes."""

__version__ = "0.1.0"
