# Writes the .npy fixtures of NpyTest with NumPy (run: /usr/bin/python3 make_fixtures.py in this folder).
# Values are a closed form the test recomputes: v[i0, ..., ik] = flat C-order index * 0.25 - 3.
import numpy as np

def ramp(shape, dtype):
    return (np.arange(int(np.prod(shape)), dtype=np.float64) * 0.25 - 3).reshape(shape).astype(dtype)

np.save("c_float32_2x3x4.npy", ramp((2, 3, 4), "<f4"))
np.save("fortran_float64_3x5.npy", np.asfortranarray(ramp((3, 5), "<f8")))
np.save("bigendian_float32_7.npy", ramp((7,), ">f4"))
np.save("scalar_float64.npy", np.array(2.5, dtype="<f8"))
np.save("int32_2.npy", np.array([1, 2], dtype="<i4"))
