package io.fleetprov.simulator.claim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import software.amazon.awssdk.services.iot.IotAsyncClient;
import software.amazon.awssdk.services.iot.model.CertificateStatus;
import software.amazon.awssdk.services.iot.model.ThingAttribute;

/**
 * Deletes what a run created. A run's serial numbers contain its run id, and templates name things after the
 * serial, so the run's things are those whose name contains {@code serialPrefix + runId + "-"}; each one's
 * certificates are detached, deactivated and deleted (with their policy attachments), then the thing.
 */
public final class RunCleaner {

    private final IotAsyncClient iot;

    public RunCleaner(IotAsyncClient iot) {
        this.iot = iot;
    }

    public record Removed(String thingName, List<String> certificateArns) {}

    /** Lists (and unless {@code dryRun} deletes) the run's things; {@code progress} hears about each. */
    public List<Removed> clean(String marker, boolean dryRun, Consumer<Removed> progress) {
        List<Removed> removed = new ArrayList<>();
        List<ThingAttribute> things = new ArrayList<>();
        iot.listThingsPaginator(r -> r.maxResults(250))
                .things()
                .filter(t -> t.thingName().contains(marker))
                .subscribe(things::add)
                .join();
        for (ThingAttribute thing : things) {
            String name = thing.thingName();
            List<String> principals = new ArrayList<>();
            iot.listThingPrincipalsPaginator(r -> r.thingName(name))
                    .principals()
                    .subscribe(principals::add)
                    .join();
            if (!dryRun) {
                for (String arn : principals) {
                    iot.detachThingPrincipal(r -> r.thingName(name).principal(arn))
                            .join();
                    if (arn.contains(":cert/")) {
                        String certificateId = arn.substring(arn.lastIndexOf('/') + 1);
                        iot.updateCertificate(
                                        r -> r.certificateId(certificateId).newStatus(CertificateStatus.INACTIVE))
                                .join();
                        iot.deleteCertificate(
                                        r -> r.certificateId(certificateId).forceDelete(true))
                                .join();
                    }
                }
                iot.deleteThing(r -> r.thingName(name)).join();
            }
            Removed item = new Removed(name, principals);
            removed.add(item);
            progress.accept(item);
        }
        return removed;
    }
}
