"""HTTP building blocks shared by the write and read APIs."""
