package io.warpsentinel;

import io.warpsentinel.classify.ClassifySettings;
import io.warpsentinel.cloudflare.CloudflareSettings;
import io.warpsentinel.cluster.ClusterSettings;
import io.warpsentinel.deliver.DeliverySettings;
import io.warpsentinel.deliver.EmailSettings;
import io.warpsentinel.deliver.WebhookSettings;
import io.warpsentinel.demo.DemoSettings;
import io.warpsentinel.files.PrivateFiles;
import io.warpsentinel.http.HttpSettings;
import io.warpsentinel.operate.OperateSettings;
import io.warpsentinel.remediate.RemediateSettings;
import io.warpsentinel.report.ReportSettings;
import io.warpsentinel.scan.ScanSettings;
import io.warpsentinel.settings.Setting;
import io.warpsentinel.settings.SettingsSchema;
import io.warpsentinel.state.StateSettings;
import java.util.ArrayList;
import java.util.List;

/** Every setting of warp-sentinel: each package's declarations, gathered. */
public final class SentinelSettings {

    public static final SettingsSchema SCHEMA = new SettingsSchema(all(CamelSettings.ALL, CloudflareSettings.ALL, HttpSettings.ALL,
            ScanSettings.ALL, ClassifySettings.ALL, ReportSettings.ALL, List.of(PrivateFiles.PERMISSIONS), StateSettings.ALL, ClusterSettings.ALL,
            RemediateSettings.ALL, DeliverySettings.ALL, EmailSettings.ALL, WebhookSettings.ALL, OperateSettings.ALL, DemoSettings.ALL));

    private SentinelSettings() {
    }

    @SafeVarargs
    private static List<Setting<?>> all(List<Setting<?>>... declarations) {
        List<Setting<?>> all = new ArrayList<>();
        for (List<Setting<?>> declared : declarations) {
            all.addAll(declared);
        }
        return all;
    }
}
