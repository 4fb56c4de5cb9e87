"""The parity scenario through pynetbox (Debian's python3-pynetbox).

Usage: scenario.py <base url> <token>. tests/dynamic/parity/parity_test.cpp runs the same steps
through netbox-cpp's dynamic facade against a fresh simulator of the same seed and compares the
writes both sent. Keep the two in step, one numbered step for one numbered step.
"""
import sys

import pynetbox

nb = pynetbox.api(sys.argv[1], token=sys.argv[2])

# 1. create one object
site = nb.dcim.sites.create(name="Parity Lab", slug="parity-lab")
# 2. save sends the changed field only; 3. a second save: pynetbox 7.0 re-sends it, we send nothing
site.description = "parity"
site.save()
site.save()
# 4. bulk create
racks = nb.dcim.racks.create([{"name": "p-rack-%d" % i, "site": site.id} for i in range(1, 4)])
# 5. bulk update from objects
nb.dcim.racks.update([{"id": racks[0].id, "status": "planned"}])
# 6. save of a choice field
rack = nb.dcim.racks.get(racks[1].id)
rack.status = "reserved"
rack.save()
# 7. a record set's update: only the records that change
nb.dcim.racks.filter(site_id=site.id).update(comments="bulk")
# 8. a custom field change
device = nb.dcim.devices.get(1)
device.custom_fields["asset_owner"] = "ops"
device.save()
# 9. tags: set two, then the same two in the other order (pynetbox sends this; we do not)
device = nb.dcim.devices.get(2)
device.tags = [1, 2]
device.save()
device = nb.dcim.devices.get(2)
device.tags = [device.tags[1].id, device.tags[0].id]
device.save()
# 10. a foreign key replaced by another id
device = nb.dcim.devices.get(3)
device.site = site.id
device.save()
# 11. allocate the next free address of a prefix
prefix = nb.ipam.prefixes.create(prefix="198.51.100.0/29")
address = prefix.available_ips.create({})
# 12. bulk delete by ids, then by record set; single deletes
nb.dcim.racks.delete([racks[0].id])
nb.dcim.racks.filter(site_id=site.id).delete()
nb.ipam.ip_addresses.get(address.id).delete()
prefix.delete()
